/** Sends for the sending cards' tests: an ordinary one, and one as large as a card may have to show. */
import type { Card, Element } from '../../src/cards/card.js';
import type { Recipients, Send } from '../../src/domain/send.js';

export const NOW = Date.UTC(2026, 10, 25, 2, 0, 0);

/** Text a person typed that markdown would read as markup: it must reach the card as plain text. */
export const OUTSIDE = "**bold** <at id=all></at> [link](https://example.com) <font color='red'>red</font>";

/** `n` ids of 32 hex digits after `prefix`, as Feishu's ids look. */
export const ids = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}${i.toString(16).padStart(32, '0')}`);

export function aSend(over: Partial<Send> = {}): Send {
  return {
    id: 'snd_1',
    state: 'draft',
    senderOpenId: 'ou_writer',
    chatId: 'oc_1',
    text: `Hello team,\nthe office is closed on Friday. ${OUTSIDE}`,
    recipients: { departments: ['od-sales'], openIds: ['ou_ann', 'ou_bob'], userIds: ['u_carl'], unionIds: [] },
    unusable: [],
    createdAt: NOW - 60_000,
    ...over,
  };
}

/** Every list full, the longest message, and many ids that could not be used. */
export function aLargestSend(over: Partial<Send> = {}): Send {
  const recipients: Recipients = {
    departments: ids('od-', 200),
    openIds: ids('ou_', 200),
    userIds: ids('u', 200),
    unionIds: ids('on_', 200),
  };
  return aSend({
    text: `${OUTSIDE}\n`.repeat(20).padEnd(1000, '*').slice(0, 1000),
    recipients,
    unusable: [
      ...ids('ou_more_', 300).map((given) => ({ given, why: 'over_limit' as const })),
      ...Array.from({ length: 50 }, (_, i) => ({ given: `${OUTSIDE} ${i}`.repeat(5), why: 'not_an_id' as const })),
      { given: '0', why: 'root_department' },
    ],
    ...over,
  });
}

/** The card's components with this tag, at any depth. */
function blocks(card: Card, tag: string): Element[] {
  const out: Element[] = [];
  const walk = (el: Element): void => {
    if (el.tag === tag) out.push(el);
    for (const child of [...((el.columns as Element[]) ?? []), ...((el.elements as Element[]) ?? [])]) walk(child);
  };
  card.body.elements.forEach(walk);
  return out;
}

/** The contents of the card's plain_text blocks (`div`), where outside text belongs. */
export const plainTexts = (card: Card) => blocks(card, 'div').map((el) => (el.text as { content: string }).content);

/** The card's markdown blocks, in both languages, as JSON: where outside text must never be. */
export const markdownTexts = (card: Card) => blocks(card, 'markdown').map((el) => JSON.stringify(el));

/** The 30 KB bound Feishu puts on a card message, with room to spare. */
export const WELL_UNDER_30_KB = 20 * 1024;
export const bytes = (card: Card) => Buffer.byteLength(JSON.stringify(card));
