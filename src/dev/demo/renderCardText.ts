/**
 * Renders a card JSON 2.0 card as terminal text, for the demo chat client.
 * Pure. Understands the elements our cards use; anything else is shown as a
 * visible placeholder naming its tag. Times (`<local_datetime>`, a table's
 * date cells) are shown in the configured zone, which the card's last line names.
 */
import { formatDatePattern, renderLocalDatetime } from '../../cards/format.js';

const ANSI: Record<string, string> = {
  green: '\x1b[32m',
  blue: '\x1b[34m',
  wathet: '\x1b[36m',
  orange: '\x1b[33m',
  red: '\x1b[31m',
  grey: '\x1b[90m',
  bold: '\x1b[1m',
  reset: '\x1b[0m',
};

type Json = Record<string, unknown>;
export type RenderLang = 'zh' | 'en';

/** The text a reader in `lang` sees: its `i18n_content`, else `content`. */
export function textOf(node: unknown, lang: RenderLang): string {
  const n = (node ?? {}) as Json;
  const i18n = n.i18n_content as Record<string, string> | undefined;
  const text = i18n?.[lang === 'zh' ? 'zh_cn' : 'en_us'] ?? n.content;
  return typeof text === 'string' ? text : '';
}

function paint(text: string, colour: string | undefined, ansi: boolean): string {
  const code = colour ? ANSI[colour] : undefined;
  return ansi && code ? `${code}${text}${ANSI.reset}` : text;
}

/** How the reader sees the card: language and time zone. */
export interface View {
  lang: RenderLang;
  timeZone: string;
}

/** `<local_datetime millisecond='…' format_type='…'>` (rich-text.md, 国际化时间). */
export const LOCAL_DATETIME = /<local_datetime millisecond='(\d+)' format_type='(\w+)'><\/local_datetime>/g;
/** `<person id='…' …>` (rich-text.md, 人员). */
export const PERSON = /<person id='([^']*)'[^>]*><\/person>/g;

interface Column {
  name: string;
  display_name?: string;
  data_type?: string;
  format?: { precision?: number; separator?: boolean };
  date_format?: string;
  horizontal_align?: string;
}

/** A `table` cell as Feishu shows it (table.md, data_type). */
export function cellText(column: Column, value: unknown, timeZone: string): string {
  if (value === undefined || value === null || value === '') return '';
  if (column.data_type === 'number' && typeof value === 'number') {
    const p = column.format?.precision;
    const digits = p === undefined ? {} : { minimumFractionDigits: p, maximumFractionDigits: p };
    return value.toLocaleString('en-US', { useGrouping: column.format?.separator === true, ...digits });
  }
  if (column.data_type === 'date' && typeof value === 'number')
    return formatDatePattern(value, column.date_format ?? 'YYYY-MM-DDTHH:mm:ssZ', timeZone);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The rows of a table element and its page size (default 5, as Feishu). */
export function tableOf(
  el: Json,
  timeZone: string,
): { head: string[]; rows: string[][]; pageSize: number; right: boolean[] } {
  const columns = (el.columns as Column[] | undefined) ?? [];
  const rows = ((el.rows as Json[] | undefined) ?? []).map((r) => columns.map((c) => cellText(c, r[c.name], timeZone)));
  const size = Number(el.page_size ?? 5);
  return {
    head: columns.map((c) => c.display_name ?? ''),
    rows,
    pageSize: Number.isInteger(size) && size >= 1 && size <= 10 ? size : 5,
    // table.md: numbers are right-aligned unless the column says otherwise.
    right: columns.map((c) => (c.horizontal_align ?? (c.data_type === 'number' ? 'right' : 'left')) === 'right'),
  };
}

/** Markdown as our cards write it → terminal text. */
function markdownToText(md: string, ansi: boolean, view: View): string[] {
  const text = md
    .replace(LOCAL_DATETIME, (_m, ms: string, format: string) =>
      renderLocalDatetime(Number(ms), format, view.timeZone, view.lang),
    )
    .replace(PERSON, (_m, id: string) => paint(`👤${id}`, 'wathet', ansi))
    .replace(/<at id=([^>]*)><\/at>/g, '@$1')
    .replace(/<font color='(\w+)'>([\s\S]*?)<\/font>/g, (_m, colour: string, inner: string) =>
      paint(inner, colour, ansi),
    )
    .replace(/\*\*([\s\S]*?)\*\*/g, (_m, inner: string) => paint(inner, 'bold', ansi))
    .replace(/`([^`]*)`/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return text.split('\n');
}

/** Display width: CJK and full-width characters take two cells; ANSI codes none. */
export function displayWidth(s: string): number {
  let w = 0;
  // eslint-disable-next-line no-control-regex -- terminal colour codes start with ESC
  for (const ch of s.replace(/\u001b\[\d+m/g, '')) {
    const cp = ch.codePointAt(0)!;
    w +=
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      cp >= 0x1f300
        ? 2
        : 1;
  }
  return w;
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(width - displayWidth(s), 0));
}

const SPARK = '▁▂▃▄▅▆▇█';

function renderTable(el: Json, ansi: boolean, view: View): string[] {
  const { head, rows, pageSize, right } = tableOf(el, view.timeZone);
  const page = rows.slice(0, pageSize);
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...page.map((r) => displayWidth(r[i]!))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right[i] ? ' '.repeat(Math.max(widths[i]! - displayWidth(c), 0)) + c : pad(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  const pages = Math.ceil(rows.length / pageSize);
  return [
    paint(line(head), 'bold', ansi),
    ...page.map(line),
    ...(pages > 1
      ? [
          paint(
            view.lang === 'zh'
              ? `（第 1/${pages} 页，共 ${rows.length} 行）`
              : `(page 1 of ${pages}, ${rows.length} rows)`,
            'grey',
            ansi,
          ),
        ]
      : []),
  ];
}

function renderElement(el: Json, ansi: boolean, view: View): string[] {
  const { lang } = view;
  switch (el.tag) {
    case 'markdown':
      return markdownToText(textOf(el, lang), ansi, view);
    case 'table':
      return renderTable(el, ansi, view);
    case 'div':
      return textOf(el.text, lang).split('\n');
    case 'button':
      return [paint(`[ ${textOf(el.text, lang)} ]`, el.type === 'danger' ? 'red' : 'blue', ansi)];
    case 'chart': {
      const data = ((el.chart_spec as Json | undefined)?.data as Json[] | undefined)?.[0]?.values as
        Array<{ rate?: number }> | undefined;
      const rates = (data ?? []).map((v) => Number(v.rate ?? 0));
      const line = rates.map((r) => SPARK[Math.min(SPARK.length - 1, Math.floor((r / 100) * SPARK.length))]).join('');
      return [paint(`${line}  (${rates.length} ${lang === 'zh' ? '个点' : 'points'})`, 'green', ansi)];
    }
    case 'hr':
      return [paint('─'.repeat(48), 'grey', ansi)];
    // The query form: its input as a box with its label, then its button.
    case 'form':
      return ((el.elements as Json[] | undefined) ?? []).flatMap((e) => renderElement(e, ansi, view));
    case 'input':
      return [textOf(el.label, lang), paint(`[ ${textOf(el.placeholder, lang)} ]`, 'grey', ansi)];
    case 'column_set': {
      const cols = ((el.columns as Json[] | undefined) ?? []).map((c) =>
        ((c.elements as Json[] | undefined) ?? []).flatMap((e) => renderElement(e, ansi, view)),
      );
      const widths = cols.map((lines) => Math.max(0, ...lines.map(displayWidth)));
      const rows = Math.max(0, ...cols.map((c) => c.length));
      return Array.from({ length: rows }, (_, r) =>
        cols
          .map((c, i) => pad(c[r] ?? '', widths[i]!))
          .join('   ')
          .trimEnd(),
      );
    }
    default:
      return [paint(`[unsupported element: ${String(el.tag)}]`, 'red', ansi)];
  }
}

/** `timeZone`: the bot's configured zone, where Feishu would use each reader's own. */
export function renderCardText(
  card: unknown,
  ansi = false,
  lang: RenderLang = 'zh',
  timeZone = 'Asia/Shanghai',
): string {
  const view = { lang, timeZone };
  const c = (card ?? {}) as Json;
  const header = (c.header ?? {}) as Json;
  const template = typeof header.template === 'string' ? header.template : undefined;
  const title = textOf(header.title, lang);
  const subtitle = header.subtitle === undefined ? undefined : textOf(header.subtitle, lang);
  const elements = ((c.body as Json | undefined)?.elements as Json[] | undefined) ?? [];
  const lines = [
    paint(`▌ ${title}`, template, ansi),
    ...(subtitle === undefined ? [] : [paint(`▌ ${String(subtitle)}`, 'grey', ansi)]),
    '',
    ...elements.flatMap((e) => [...renderElement(e, ansi, view), '']),
    ...(JSON.stringify(card).includes('local_datetime') || JSON.stringify(card).includes('"date"')
      ? [paint(lang === 'zh' ? `（时间为 ${timeZone}）` : `(times in ${timeZone})`, 'grey', ansi)]
      : []),
  ];
  return (
    lines
      .map((l) => `  ${l}`.trimEnd())
      .join('\n')
      .trimEnd() + '\n'
  );
}
