import type { Card } from '../../src/cards/card.js';
import { cardRuleViolations, type RuleOptions } from './cardRules.js';

type Lang = 'zh' | 'en';

const cell = (v: unknown): string => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** All the text a reader sees, in order (a table a line per row); with `lang`, as a reader in that language sees it. */
export function cardText(card: unknown, lang?: Lang): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    if (o.tag === 'table') {
      // A table component as a reader sees it: a line per row, cells in column order (raw values).
      const columns = o.columns as Array<{ name: string; display_name?: string }>;
      out.push(`| ${columns.map((c) => c.display_name ?? '').join(' | ')} |`);
      for (const row of o.rows as Array<Record<string, unknown>>)
        out.push(`| ${columns.map((c) => cell(row[c.name])).join(' | ')} |`);
      return;
    }
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

const CJK = /[\u4e00-\u9fff]/;

/** A text with Chinese in it carries an English version with none (and the other way round). */
function checkText(t: { content: string; i18n_content?: { zh_cn: string; en_us: string } }): void {
  // Ids (batch messages, people, departments) and numbers read the same in both languages.
  if (!/[A-Za-z\u4e00-\u9fff]{2}/.test(t.content.replace(/bm[_-][\w-]+|<[^>]*>|o[un]_\w+|od-\w+/g, ''))) return;
  expect(t.i18n_content).toBeDefined();
  expect(t.content).toBe(t.i18n_content!.zh_cn);
  if (t.i18n_content!.zh_cn === t.i18n_content!.en_us) return; // reads the same in both (a log id)
  expect(CJK.test(t.i18n_content!.zh_cn)).toBe(true);
  expect(CJK.test(t.i18n_content!.en_us)).toBe(false);
}

/**
 * Card JSON 2.0 rejects unknown properties: checks the card against the
 * documented rules (cardRules.ts, each naming its page), and that every
 * text carries both languages.
 */
export function expectValidCard(card: Card, options: RuleOptions = {}): void {
  expect(cardRuleViolations(card, options)).toEqual([]);
  // Without it a forwarded card's buttons do nothing (the default is false).
  if (JSON.stringify(card.body).includes('"tag":"button"')) expect(card.config.enable_forward_interaction).toBe(true);
  checkText(card.config.summary);
  for (const text of [card.header.title, ...(card.header.subtitle ? [card.header.subtitle] : [])]) {
    expect(text.tag).toBe('plain_text');
    checkText(text);
  }
  expect(card.header.title.i18n_content).toBeDefined();
  const check = (el: Record<string, unknown>): void => {
    if (el.tag === 'markdown') checkText(el as never);
    if (el.tag === 'button') checkText(el.text as never);
    if (el.tag === 'input')
      for (const text of [el.label, el.placeholder] as Array<{ tag: string; content: string }>) {
        expect(text.tag).toBe('plain_text');
        checkText(text);
      }
    if (el.tag === 'table') return;
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
