/**
 * Renders a card JSON 2.0 card as HTML laid out like the Feishu client, for
 * the playground page. Pure (card in, string out), so it is unit-tested in
 * Node and runs unchanged in the browser. It covers the elements our cards
 * use; anything else becomes a visible placeholder naming its tag, so a card
 * change the page cannot show is noticed. Every text is HTML-escaped.
 */
import { textOf, type RenderLang } from '../demo/renderCardText.js';

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

const INLINE =
  /<font color='(\w+)'>|<\/font>|<at id=([^>]*)><\/at>|\*\*|`([^`\n]*)`|\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g;

/** The inline markdown our cards write: **bold**, `code`, <font color>, <at id>, [links](https://…), line breaks. */
export function inlineMarkdown(md: string): string {
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
    const [token, colour, atId, code, linkText, href] = m;
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

function table(lines: string[]): string {
  const [head, rule, ...rows] = lines;
  const align = cellsOf(rule!).map((c) => (c.endsWith(':') ? (c.startsWith(':') ? 'center' : 'right') : 'left'));
  const row = (line: string, cell: 'th' | 'td') =>
    `<tr>${cellsOf(line)
      .map((c, i) => `<${cell} class="align-${align[i] ?? 'left'}">${inlineMarkdown(c)}</${cell}>`)
      .join('')}</tr>`;
  return `<table class="md-table"><thead>${row(head!, 'th')}</thead><tbody>${rows.map((r) => row(r, 'td')).join('')}</tbody></table>`;
}

/** Markdown blocks: tables (a header row, a `| :-- | --: |` rule, rows) and text with line breaks. */
export function markdownHtml(md: string): string {
  const lines = md.split('\n');
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) out.push(inlineMarkdown(paragraph.join('\n')));
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim().startsWith('|') && TABLE_RULE.test(lines[i + 1]?.trim() ?? '')) {
      let end = i + 2;
      while (end < lines.length && lines[end]!.trim().startsWith('|')) end++;
      flush();
      out.push(table(lines.slice(i, end)));
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

function button(el: Json, lang: RenderLang): string {
  const callback = ((el.behaviors as Json[] | undefined) ?? []).find((b) => b.type === 'callback');
  const kind = oneOf(el.type, ['default', 'primary', 'danger']);
  const value = callback ? ` data-callback="${escapeHtml(JSON.stringify(callback.value ?? {}))}"` : ' disabled';
  const submits = el.form_action_type === 'submit' ? ` data-form-submit="${escapeHtml(nameOf(el))}"` : '';
  return `<button type="button" class="btn btn-${kind}"${value}${submits}>${escapeHtml(textOf(el.text, lang))}</button>`;
}

/** A form element's `name`: what Feishu sends back with the form. */
const nameOf = (el: Json) => (typeof el.name === 'string' ? el.name : '');

/** A form's text input, with its label; the page sends what is typed when the form's submit button is pressed. */
function input(el: Json, lang: RenderLang): string {
  const label = el.label === undefined ? '' : `<span class="input-label">${escapeHtml(textOf(el.label, lang))}</span>`;
  const max = Number(el.max_length);
  return (
    `<label class="card-input">${label}<input type="text" name="${escapeHtml(nameOf(el))}"` +
    ` placeholder="${escapeHtml(textOf(el.placeholder, lang))}"${Number.isInteger(max) && max > 0 ? ` maxlength="${max}"` : ''}></label>`
  );
}

function column(el: Json, lang: RenderLang): string {
  if (el.tag !== 'column') return placeholder(String(el.tag));
  const weight = Number(el.weight ?? 1);
  const flex = el.width === 'weighted' ? `${Number.isFinite(weight) && weight > 0 ? weight : 1} 1 0` : '0 0 auto';
  const valign = oneOf(el.vertical_align, ['top', 'center', 'bottom']);
  return `<div class="column valign-${valign}" style="flex: ${flex}">${elements(el.elements, lang)}</div>`;
}

function element(el: Json, lang: RenderLang): string {
  switch (el.tag) {
    case 'markdown':
      return `<div class="md size-${oneOf(el.text_size, ['normal', 'heading', 'notation'])} align-${oneOf(el.text_align, ['left', 'center', 'right'])}">${markdownHtml(textOf(el, lang))}</div>`;
    case 'div':
      return `<div class="plain">${escapeHtml(textOf(el.text, lang))}</div>`;
    case 'hr':
      return '<hr class="hr">';
    case 'column_set':
      return `<div class="columns gap-${oneOf(el.horizontal_spacing, ['medium', 'small', 'large'])}">${((el.columns as Json[] | undefined) ?? []).map((c) => column(c, lang)).join('')}</div>`;
    case 'button':
      return button(el, lang);
    case 'chart':
      return chart(el);
    case 'form':
      return `<div class="card-form" data-form="${escapeHtml(nameOf(el))}">${elements(el.elements, lang)}</div>`;
    case 'input':
      return input(el, lang);
    default:
      return placeholder(String(el.tag));
  }
}

function elements(list: unknown, lang: RenderLang): string {
  return ((list as Json[] | undefined) ?? []).map((e) => element(e, lang)).join('');
}

/** The card as a reader in `lang` sees it. Buttons carry their callback value in `data-callback`. */
export function renderCardHtml(card: unknown, lang: RenderLang = 'zh'): string {
  const c = (card ?? {}) as Json;
  const header = c.header as Json | undefined;
  const template = typeof header?.template === 'string' && /^\w+$/.test(header.template) ? header.template : 'default';
  const head = header
    ? `<div class="card-header tpl-${template}"><div class="card-title">${escapeHtml(textOf(header.title, lang))}</div>` +
      `${header.subtitle === undefined ? '' : `<div class="card-subtitle">${escapeHtml(textOf(header.subtitle, lang))}</div>`}</div>`
    : '';
  const schema = c.schema === '2.0' ? '' : placeholder(`card schema ${String(c.schema)}`);
  return `<div class="card">${head}<div class="card-body">${schema}${elements((c.body as Json | undefined)?.elements, lang)}</div></div>`;
}
