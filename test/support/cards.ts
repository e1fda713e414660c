import type { Card } from '../../src/cards/card.js';

type Lang = 'zh' | 'en';

/** All the text a reader sees, in order; with `lang`, as a reader in that language sees it. */
export function cardText(card: unknown, lang?: Lang): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    if (typeof o.content === 'string') {
      const i18n = o.i18n_content as { zh_cn: string; en_us: string } | undefined;
      if (lang && i18n) out.push(lang === 'zh' ? i18n.zh_cn : i18n.en_us);
      else if (i18n) out.push(i18n.zh_cn, i18n.en_us);
      else out.push(o.content);
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'i18n_content' && k !== 'content') walk(v);
  };
  walk(card);
  return out.join('\n');
}

const ALLOWED: Record<string, string[]> = {
  markdown: ['tag', 'content', 'i18n_content', 'text_size', 'text_align'],
  div: ['tag', 'text'],
  hr: ['tag'],
  column_set: ['tag', 'flex_mode', 'horizontal_spacing', 'columns'],
  column: ['tag', 'width', 'weight', 'vertical_align', 'elements'],
  button: ['tag', 'text', 'type', 'size', 'behaviors', 'form_action_type', 'name'],
  // The form container and its input (card-json-v2-components/containers/form-container, interactive-components/input).
  form: ['tag', 'name', 'elements'],
  input: ['tag', 'name', 'required', 'max_length', 'width', 'label', 'placeholder'],
  chart: ['tag', 'aspect_ratio', 'chart_spec'],
};

function onlyKeys(o: object, allowed: string[]): void {
  for (const key of Object.keys(o)) expect(allowed).toContain(key);
}

const CJK = /[\u4e00-\u9fff]/;

/** A text with Chinese in it carries an English version with none (and the other way round). */
function checkText(t: { content: string; i18n_content?: { zh_cn: string; en_us: string } }): void {
  if (!/[A-Za-z\u4e00-\u9fff]{2}/.test(t.content.replace(/bm_[\w-]+|<[^>]*>|ou_\w+/g, ''))) return; // ids and numbers read the same
  expect(t.i18n_content).toBeDefined();
  expect(t.content).toBe(t.i18n_content!.zh_cn);
  if (t.i18n_content!.zh_cn === t.i18n_content!.en_us) return; // reads the same in both (a log id)
  expect(CJK.test(t.i18n_content!.zh_cn)).toBe(true);
  expect(CJK.test(t.i18n_content!.en_us)).toBe(false);
}

/**
 * Card JSON 2.0 rejects unknown properties: checks every object uses only
 * the documented ones we rely on, every text carries both languages, and
 * the card stays under Feishu's 30 KB.
 */
export function expectValidCard(card: Card): void {
  expect(card.schema).toBe('2.0');
  onlyKeys(card, ['schema', 'config', 'header', 'body']);
  onlyKeys(card.config, ['update_multi', 'enable_forward', 'summary']);
  expect(card.config).toMatchObject({ update_multi: true, enable_forward: true });
  onlyKeys(card.config.summary, ['content', 'i18n_content']);
  checkText(card.config.summary);
  onlyKeys(card.header, ['title', 'subtitle', 'template']);
  for (const text of [card.header.title, ...(card.header.subtitle ? [card.header.subtitle] : [])]) {
    onlyKeys(text, ['tag', 'content', 'i18n_content']);
    expect(text.tag).toBe('plain_text');
    checkText(text);
  }
  expect(card.header.title.i18n_content).toBeDefined();
  onlyKeys(card.body, ['elements']);
  expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(30 * 1024);
  const check = (el: Record<string, unknown>): void => {
    const allowed = ALLOWED[String(el.tag)];
    expect(allowed).toBeDefined();
    onlyKeys(el, allowed!);
    if (el.tag === 'div') onlyKeys(el.text as object, ['tag', 'content']);
    if (el.tag === 'input')
      for (const text of [el.label, el.placeholder] as Array<{ tag: string; content: string }>) {
        onlyKeys(text, ['tag', 'content', 'i18n_content']);
        expect(text.tag).toBe('plain_text');
        checkText(text);
      }
    if (el.tag === 'form') {
      // A form's interactive children all carry a name, and it holds one submit button.
      const submits = JSON.stringify(el).match(/"form_action_type":"submit"/g) ?? [];
      expect(submits).toHaveLength(1);
    }
    if (el.tag === 'markdown') {
      checkText(el as never);
      if (el.text_size !== undefined) expect(['heading', 'normal', 'notation']).toContain(el.text_size);
    }
    if (el.tag === 'button') {
      onlyKeys(el.text as object, ['tag', 'content', 'i18n_content']);
      checkText(el.text as never);
      const [behaviour] = el.behaviors as Array<{ type: string; value: unknown }>;
      expect(behaviour?.type).toBe('callback');
    }
    for (const child of [...((el.columns as unknown[]) ?? []), ...((el.elements as unknown[]) ?? [])])
      check(child as Record<string, unknown>);
  };
  card.body.elements.forEach(check);
}

/** The value of the card's button labelled `label` (English). */
export function buttonValue(card: unknown, label: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    if (o.tag === 'button' && (o.text as { i18n_content?: { en_us: string } }).i18n_content?.en_us === label) {
      found = (o.behaviors as Array<{ value: Record<string, unknown> }>)[0]!.value;
    }
    Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}
