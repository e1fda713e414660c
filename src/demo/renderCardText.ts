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

function paint(text: string, colour: string | undefined, ansi: boolean): string {
  const code = colour ? ANSI[colour] : undefined;
  return ansi && code ? `${code}${text}${ANSI.reset}` : text;
}

/** Markdown as our cards write it → terminal text. */
function markdownToText(md: string, ansi: boolean): string[] {
  const text = md
    .replace(/<font color='(\w+)'>([\s\S]*?)<\/font>/g, (_m, colour: string, inner: string) => paint(inner, colour, ansi))
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
  for (const ch of s.replace(/\x1b\[\d+m/g, '')) {
    const cp = ch.codePointAt(0)!;
    w += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || cp >= 0x1f300 ? 2 : 1;
  }
  return w;
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(width - displayWidth(s), 0));
}

function renderElement(el: Json, ansi: boolean): string[] {
  switch (el.tag) {
    case 'markdown':
      return markdownToText(String(el.content ?? ''), ansi);
    case 'div':
      return String((el.text as Json | undefined)?.content ?? '').split('\n');
    case 'hr':
      return [paint('─'.repeat(48), 'grey', ansi)];
    case 'column_set': {
      const cols = ((el.columns as Json[] | undefined) ?? []).map((c) =>
        ((c.elements as Json[] | undefined) ?? []).flatMap((e) => renderElement(e, ansi)),
      );
      const widths = cols.map((lines) => Math.max(0, ...lines.map(displayWidth)));
      const rows = Math.max(0, ...cols.map((c) => c.length));
      return Array.from({ length: rows }, (_, r) => cols.map((c, i) => pad(c[r] ?? '', widths[i]!)).join('   ').trimEnd());
    }
    default:
      return [paint(`[unsupported element: ${String(el.tag)}]`, 'red', ansi)];
  }
}

export function renderCardText(card: unknown, ansi = false): string {
  const c = (card ?? {}) as Json;
  const header = (c.header ?? {}) as Json;
  const template = typeof header.template === 'string' ? header.template : undefined;
  const title = String((header.title as Json | undefined)?.content ?? '');
  const subtitle = (header.subtitle as Json | undefined)?.content;
  const elements = ((c.body as Json | undefined)?.elements as Json[] | undefined) ?? [];
  const lines = [
    paint(`▌ ${title}`, template, ansi),
    ...(subtitle === undefined ? [] : [paint(`▌ ${String(subtitle)}`, 'grey', ansi)]),
    '',
    ...elements.flatMap((e) => [...renderElement(e, ansi), '']),
  ];
  return lines.map((l) => `  ${l}`.trimEnd()).join('\n').trimEnd() + '\n';
}
