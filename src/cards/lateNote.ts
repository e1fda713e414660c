/**
 * The note on an answer that waited for Feishu: when Feishu was unavailable,
 * and when the numbers shown were taken — so nobody mistakes a late answer
 * for one given at the time they asked. Added at the top of any card.
 * The times are `<local_datetime>`: each reader's own zone.
 */
import { both, markdown, type Card } from './card.js';
import { readerDateTime } from './format.js';

export interface Late {
  /** When Feishu became unavailable for this command. */
  from: number;
  /** When Feishu answered again. */
  to: number;
  /** When the card's numbers were taken; undefined for a card without numbers. */
  takenAt?: number;
}

export function withLateNote(card: Card, late: Late): Card {
  const note = markdown(
    both((lang) => {
      const at = (ms: number) => readerDateTime(ms, true);
      const zh = lang === 'zh';
      const down = zh
        ? `飞书在 ${at(late.from)} 至 ${at(late.to)} 期间不可用`
        : `Feishu was unavailable from ${at(late.from)} to ${at(late.to)}`;
      if (late.takenAt === undefined) return `⏳ ${down}${zh ? '，所以这条回复晚到了。' : ', so this answer is late.'}`;
      return `⏳ ${down}${zh ? '；以下数据取自 ' : '; these numbers were taken at '}${at(late.takenAt)}${zh ? '。' : '.'}`;
    }),
    { size: 'notation' },
  );
  return { ...card, body: { ...card.body, elements: [note, ...card.body.elements] } };
}
