/**
 * Renders a card JSON 2.0 card as HTML laid out like the Feishu client, for
 * the playground page. Pure (card in, string out), so it is unit-tested in
 * Node and runs unchanged in the browser. It covers the elements our cards
 * use; anything else becomes a visible placeholder naming its tag, so a card
 * change the page cannot show is noticed. Every text is HTML-escaped.
 * Tables page as Feishu pages them (a markdown table after 5 rows, a table
 * component after its page_size); times are shown in the browser's zone.
 */
import { renderLocalDatetime } from '../../cards/format.js';
import { LOCAL_DATETIME, PERSON, tableOf, textOf, type RenderLang, type View } from '../demo/renderCardText.js';

type Json = Record<string, unknown>;

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Our cards write `&lt;` `&gt;` `&amp;` for a literal character (see escapeTags); Feishu shows the character. */
function decodeEntities(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function text(s: string): string {
  return escapeHtml(decodeEntities(s)).replace(/\n/g, '<br>');
}

function placeholder(what: string): string {
  return `<div class="unsupported">Not shown by the playground: <code>${escapeHtml(what)}</code></div>`;
}

/** One of `allowed`, else the first: values that end up in class names stay known. */
function oneOf(value: unknown, allowed: readonly string[]): string {
  return allowed.includes(value as string) ? (value as string) : allowed[0]!;
}

const INLINE = new RegExp(
  [
    /<font color='(\w+)'>|<\/font>|<at id=([^>]*)><\/at>|\*\*|`([^`\n]*)`|\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/
      .source,
    LOCAL_DATETIME.source,
    PERSON.source,
  ].join('|'),
  'g',
);

const UTC_VIEW: View = { lang: 'zh', timeZone: 'UTC' };

/**
 * The inline markdown our cards write: **bold**, `code`, <font color>, <at id>, <person>, <local_datetime>,
 * [links](https://…), line breaks.
 */
export function inlineMarkdown(md: string, view: View = UTC_VIEW): string {
  const out: string[] = [];
  // Closing tags of what is open, innermost last: whatever the input, the HTML stays balanced.
  const open: string[] = [];
  const close = (tag: string) => {
    const i = open.lastIndexOf(tag);
    while (i >= 0 && open.length > i) out.push(open.pop()!);
  };
  let last = 0;
  for (const m of md.matchAll(INLINE)) {
    out.push(text(md.slice(last, m.index)));
    last = m.index + m[0].length;
    const [token, colour, atId, code, linkText, href, ms, format, personId] = m;
    if (colour !== undefined) {
      out.push(`<span class="fc-${colour}">`);
      open.push('</span>');
    } else if (token === '</font>') close('</span>');
    else if (token === '**') {
      if (open.includes('</strong>')) close('</strong>');
      else {
        out.push('<strong>');
        open.push('</strong>');
      }
    } else if (atId !== undefined) out.push(`<span class="at">@${escapeHtml(atId)}</span>`);
    else if (ms !== undefined)
      out.push(
        `<time class="local-time">${escapeHtml(renderLocalDatetime(Number(ms), format!, view.timeZone, view.lang))}</time>`,
      );
    else if (personId !== undefined) out.push(`<span class="person">${escapeHtml(personId)}</span>`);
    else if (code !== undefined) out.push(`<code>${text(code)}</code>`);
    else out.push(`<a href="${escapeHtml(href!)}" target="_blank" rel="noreferrer">${text(linkText!)}</a>`);
  }
  out.push(text(md.slice(last)));
  while (open.length > 0) out.push(open.pop()!);
  return out.join('');
}

const TABLE_RULE = /^\|?(\s*:?-+:?\s*\|)+\s*(:?-+:?\s*)?$/;
const cellsOf = (line: string) =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());

/** A markdown table shows 5 data rows a page, not configurable (rich-text.md, 表格). */
const MARKDOWN_TABLE_PAGE = 5;

/** Rows split into pages, page 1 shown, and a pager the page script (web/src/app/main.ts) drives. */
function paged(className: string, headRow: string, rows: string[], pageSize: number): string {
  const pages = Math.ceil(rows.length / pageSize);
  const body = rows
    .map((r, i) => {
      const page = Math.floor(i / pageSize) + 1;
      return r.replace('<tr>', `<tr data-page="${page}"${page > 1 ? ' hidden' : ''}>`);
    })
    .join('');
  const pager =
    pages > 1
      ? `<div class="pager" data-pages="${pages}"><button type="button" class="pager-prev" disabled>‹</button>` +
        `<span class="pager-at">1 / ${pages}</span><button type="button" class="pager-next">›</button></div>`
      : '';
  return `<div class="table-wrap"><table class="${className}"><thead>${headRow}</thead><tbody>${body}</tbody></table>${pager}</div>`;
}

function table(lines: string[], view: View): string {
  const [head, rule, ...rows] = lines;
  const align = cellsOf(rule!).map((c) => (c.endsWith(':') ? (c.startsWith(':') ? 'center' : 'right') : 'left'));
  const row = (line: string, cell: 'th' | 'td') =>
    `<tr>${cellsOf(line)
      .map((c, i) => `<${cell} class="align-${align[i] ?? 'left'}">${inlineMarkdown(c, view)}</${cell}>`)
      .join('')}</tr>`;
  return paged(
    'md-table',
    row(head!, 'th'),
    rows.map((r) => row(r, 'td')),
    MARKDOWN_TABLE_PAGE,
  );
}

/** The `table` component (table.md): typed cells, its page_size. */
function tableComponent(el: Json, view: View): string {
  const { head, rows, pageSize, right } = tableOf(el, view.timeZone);
  const align = (i: number) => (right[i] ? 'right' : 'left');
  const headRow = `<tr>${head.map((h, i) => `<th class="align-${align(i)}">${escapeHtml(h)}</th>`).join('')}</tr>`;
  const bodyRows = rows.map(
    (r) => `<tr>${r.map((c, i) => `<td class="align-${align(i)}">${escapeHtml(c)}</td>`).join('')}</tr>`,
  );
  return paged('table-component', headRow, bodyRows, pageSize);
}

/** Markdown blocks: tables (a header row, a `| :-- | --: |` rule, rows) and text with line breaks. */
export function markdownHtml(md: string, view: View = UTC_VIEW): string {
  const lines = md.split('\n');
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) out.push(inlineMarkdown(paragraph.join('\n'), view));
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim().startsWith('|') && TABLE_RULE.test(lines[i + 1]?.trim() ?? '')) {
      let end = i + 2;
      while (end < lines.length && lines[end]!.trim().startsWith('|')) end++;
      flush();
      out.push(table(lines.slice(i, end), view));
      i = end - 1;
    } else paragraph.push(line);
  }
  flush();
  return out.join('');
}

/** A VChart line chart as SVG: the points of `data[0].values`, the left axis range, the first and last x labels. */
function chart(el: Json): string {
  const spec = (el.chart_spec ?? {}) as Json;
  if (spec.type !== 'line') return placeholder(`chart type ${String(spec.type)}`);
  const values = ((spec.data as Json[] | undefined)?.[0]?.values ?? []) as Json[];
  if (values.length === 0) return placeholder('line chart with no points');
  const xs = values.map((v) => `${(v[String(spec.xField)] as string | number | undefined) ?? ''}`);
  const ys = values.map((v) => Number(v[String(spec.yField)] ?? 0));
  const axis = ((spec.axes as Json[] | undefined) ?? []).find((a) => a.orient === 'left') ?? {};
  const min = typeof axis.min === 'number' ? axis.min : Math.min(0, ...ys);
  const max = typeof axis.max === 'number' ? axis.max : Math.max(1, ...ys);
  const [, a = 16, b = 9] = /^(\d+):(\d+)$/.exec(String(el.aspect_ratio)) ?? [];
  const width = 320;
  const height = Math.round((width * Number(b)) / Number(a));
  const box = { left: 34, right: width - 8, top: 8, bottom: height - 22 };
  const x = (i: number) => box.left + ((i + 0.5) * (box.right - box.left)) / Math.max(values.length, 1);
  const y = (v: number) =>
    box.bottom - ((Math.min(Math.max(v, min), max) - min) * (box.bottom - box.top)) / (max - min || 1);
  const points = ys.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  const grid = [min, (min + max) / 2, max].map(
    (v) =>
      `<line class="grid" x1="${box.left}" x2="${box.right}" y1="${y(v)}" y2="${y(v)}"/><text class="label" x="${box.left - 4}" y="${y(v) + 3}" text-anchor="end">${v}</text>`,
  );
  const labels = [0, values.length - 1]
    .filter((i, n, all) => i >= 0 && all.indexOf(i) === n)
    .map((i) => `<text class="label" x="${x(i)}" y="${height - 6}" text-anchor="middle">${escapeHtml(xs[i]!)}</text>`);
  const dots =
    (spec.point as Json | undefined)?.visible === false
      ? []
      : points.map((p) => `<circle class="dot" cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="2.5"/>`);
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${height}" data-points="${values.length}" role="img">` +
    `${grid.join('')}<polyline class="line" points="${points.join(' ')}"/>${dots.join('')}${labels.join('')}</svg>`
  );
}

function button(el: Json, { lang }: View): string {
  const callback = ((el.behaviors as Json[] | undefined) ?? []).find((b) => b.type === 'callback');
  const kind = oneOf(el.type, ['default', 'primary', 'danger']);
  const value = callback ? ` data-callback="${escapeHtml(JSON.stringify(callback.value ?? {}))}"` : ' disabled';
  const submits = el.form_action_type === 'submit' ? ` data-form-submit="${escapeHtml(nameOf(el))}"` : '';
  return `<button type="button" class="btn btn-${kind}"${value}${submits}>${escapeHtml(textOf(el.text, lang))}</button>`;
}

/** A form element's `name`: what Feishu sends back with the form. */
const nameOf = (el: Json) => (typeof el.name === 'string' ? el.name : '');

/** The selector of a form's fields the page sends on submit (web/src/main.ts): inputs and multi-line inputs. */
export const FORM_FIELDS = 'input[name], textarea[name]';

/**
 * A form's text input, with its label and its default value; a `multiline_text` one is a textarea
 * (input.md). The page sends what is typed when the form's submit button is pressed.
 */
function input(el: Json, lang: RenderLang): string {
  const label = el.label === undefined ? '' : `<span class="input-label">${escapeHtml(textOf(el.label, lang))}</span>`;
  const max = Number(el.max_length);
  const value = typeof el.default_value === 'string' ? el.default_value : '';
  const attributes =
    ` name="${escapeHtml(nameOf(el))}" placeholder="${escapeHtml(textOf(el.placeholder, lang))}"` +
    (Number.isInteger(max) && max > 0 ? ` maxlength="${max}"` : '');
  const field =
    el.input_type === 'multiline_text'
      ? // A newline right after <textarea> is dropped by the HTML parser: one is written so the value keeps its own.
        `<textarea${attributes} rows="${Number.isInteger(el.rows) ? Number(el.rows) : 5}">\n${escapeHtml(value)}</textarea>`
      : `<input type="text"${attributes}${value ? ` value="${escapeHtml(value)}"` : ''}>`;
  return `<label class="card-input">${label}${field}</label>`;
}

function column(el: Json, view: View): string {
  if (el.tag !== 'column') return placeholder(String(el.tag));
  const weight = Number(el.weight ?? 1);
  const flex = el.width === 'weighted' ? `${Number.isFinite(weight) && weight > 0 ? weight : 1} 1 0` : '0 0 auto';
  const valign = oneOf(el.vertical_align, ['top', 'center', 'bottom']);
  return `<div class="column valign-${valign}" style="flex: ${flex}">${elements(el.elements, view)}</div>`;
}

function element(el: Json, view: View): string {
  switch (el.tag) {
    case 'markdown':
      return `<div class="md size-${oneOf(el.text_size, ['normal', 'heading', 'notation'])} align-${oneOf(el.text_align, ['left', 'center', 'right'])}">${markdownHtml(textOf(el, view.lang), view)}</div>`;
    case 'table':
      return tableComponent(el, view);
    case 'div':
      return `<div class="plain">${escapeHtml(textOf(el.text, view.lang))}</div>`;
    case 'hr':
      return '<hr class="hr">';
    case 'column_set':
      return `<div class="columns gap-${oneOf(el.horizontal_spacing, ['medium', 'small', 'large'])}">${((el.columns as Json[] | undefined) ?? []).map((c) => column(c, view)).join('')}</div>`;
    case 'button':
      return button(el, view);
    case 'chart':
      return chart(el);
    case 'form':
      return `<div class="card-form" data-form="${escapeHtml(nameOf(el))}">${elements(el.elements, view)}</div>`;
    case 'input':
      return input(el, view.lang);
    default:
      return placeholder(String(el.tag));
  }
}

function elements(list: unknown, view: View): string {
  return ((list as Json[] | undefined) ?? []).map((e) => element(e, view)).join('');
}

/**
 * The card as a reader in `lang` and `timeZone` (the browser's, on the page) sees it.
 * Buttons carry their callback value in `data-callback`.
 */
export function renderCardHtml(card: unknown, lang: RenderLang = 'zh', timeZone = 'UTC'): string {
  const view = { lang, timeZone };
  const c = (card ?? {}) as Json;
  const header = c.header as Json | undefined;
  const template = typeof header?.template === 'string' && /^\w+$/.test(header.template) ? header.template : 'default';
  const head = header
    ? `<div class="card-header tpl-${template}"><div class="card-title">${escapeHtml(textOf(header.title, lang))}</div>` +
      `${header.subtitle === undefined ? '' : `<div class="card-subtitle">${escapeHtml(textOf(header.subtitle, lang))}</div>`}</div>`
    : '';
  const schema = c.schema === '2.0' ? '' : placeholder(`card schema ${String(c.schema)}`);
  return `<div class="card">${head}<div class="card-body">${schema}${elements((c.body as Json | undefined)?.elements, view)}</div></div>`;
}
