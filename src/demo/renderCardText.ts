/**
 * Renders a card JSON 2.0 card as terminal text, for the demo chat client.
 * Pure. Understands the elements our cards use; anything else is shown as a
 * visible placeholder naming its tag.
 */

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

/** Markdown as our cards write it → terminal text. */
function markdownToText(md: string, ansi: boolean): string[] {
  const text = md
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

function renderElement(el: Json, ansi: boolean, lang: RenderLang): string[] {
  switch (el.tag) {
    case 'markdown':
      return markdownToText(textOf(el, lang), ansi);
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
      return ((el.elements as Json[] | undefined) ?? []).flatMap((e) => renderElement(e, ansi, lang));
    case 'input':
      return [textOf(el.label, lang), paint(`[ ${textOf(el.placeholder, lang)} ]`, 'grey', ansi)];
    case 'column_set': {
      const cols = ((el.columns as Json[] | undefined) ?? []).map((c) =>
        ((c.elements as Json[] | undefined) ?? []).flatMap((e) => renderElement(e, ansi, lang)),
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

export function renderCardText(card: unknown, ansi = false, lang: RenderLang = 'zh'): string {
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
    ...elements.flatMap((e) => [...renderElement(e, ansi, lang), '']),
  ];
  return (
    lines
      .map((l) => `  ${l}`.trimEnd())
      .join('\n')
      .trimEnd() + '\n'
  );
}
