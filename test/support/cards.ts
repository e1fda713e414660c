import type { Card } from '../../src/cards/card.js';

/** All the text a reader of the card sees, in order. */
export function cardText(card: Card | unknown): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'content' && typeof v === 'string') out.push(v);
      else walk(v);
    }
  };
  walk(card);
  return out.join('\n');
}

const ALLOWED: Record<string, string[]> = {
  markdown: ['tag', 'content', 'text_size', 'text_align'],
  div: ['tag', 'text'],
  hr: ['tag'],
  column_set: ['tag', 'flex_mode', 'horizontal_spacing', 'columns'],
  column: ['tag', 'width', 'weight', 'vertical_align', 'elements'],
};

/**
 * Card JSON 2.0 rejects unknown properties: checks every element uses only
 * the documented ones we rely on, and the card stays under Feishu's 30 KB.
 */
function onlyKeys(o: object, allowed: string[]): void {
  for (const key of Object.keys(o)) expect(allowed).toContain(key);
}

export function expectValidCard(card: Card): void {
  expect(card.schema).toBe('2.0');
  onlyKeys(card, ['schema', 'config', 'header', 'body']);
  onlyKeys(card.config, ['update_multi', 'enable_forward', 'summary']);
  onlyKeys(card.config.summary, ['content']);
  onlyKeys(card.header, ['title', 'subtitle', 'template']);
  expect(['blue', 'wathet', 'green', 'orange', 'red', 'grey']).toContain(card.header.template);
  for (const text of [card.header.title, card.header.subtitle ?? { tag: 'plain_text', content: '' }]) {
    onlyKeys(text, ['tag', 'content']);
    expect(text.tag).toBe('plain_text');
  }
  onlyKeys(card.body, ['elements']);
  expect(card.config).toMatchObject({ update_multi: true, enable_forward: true });
  expect(card.header.title.content.length).toBeGreaterThan(0);
  expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(30 * 1024);
  const check = (el: Record<string, unknown>): void => {
    const allowed = ALLOWED[String(el.tag)];
    expect(allowed).toBeDefined();
    onlyKeys(el, allowed!);
    if (el.tag === 'div') onlyKeys(el.text as object, ['tag', 'content']);
    if (el.tag === 'markdown' && el.text_size !== undefined) expect(['heading', 'normal', 'notation']).toContain(el.text_size);
    for (const child of [...((el.columns as unknown[]) ?? []), ...((el.elements as unknown[]) ?? [])]) check(child as Record<string, unknown>);
  };
  card.body.elements.forEach(check);
}
