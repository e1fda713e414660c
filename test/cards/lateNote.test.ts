import { withLateNote } from '../../src/cards/lateNote.js';
import { buildReadsCard } from '../../src/cards/readsCard.js';
import { cardText } from '../support/cards.js';

const at = (hhmm: string, day = 25) => Date.parse(`2026-11-${day}T${hhmm}:00+08:00`);
const card = buildReadsCard(
  { snapshot: { batchId: 'bm_a', readCount: 3, totalCount: 4, takenAt: at('10:03') }, now: at('10:03') },
  'Asia/Shanghai',
);

it('says, in both languages and first, when Feishu was unavailable and when the numbers were taken', () => {
  const late = withLateNote(card, { from: at('10:02'), to: at('10:03'), takenAt: at('10:03') });
  // Each time as a reader sees it in their own zone: the date and the minute.
  const t = (ms: number) =>
    `<local_datetime millisecond='${ms}' format_type='date_short'></local_datetime> <local_datetime millisecond='${ms}' format_type='time'></local_datetime>`;
  expect(late.body.elements.slice(1)).toEqual(card.body.elements);
  const first = { ...late, body: { elements: late.body.elements.slice(0, 1) } };
  expect(cardText(first, 'en')).toContain(
    `Feishu was unavailable from ${t(at('10:02'))} to ${t(at('10:03'))}; these numbers were taken at ${t(at('10:03'))}.`,
  );
  expect(cardText(first, 'zh')).toContain(
    `飞书在 ${t(at('10:02'))} 至 ${t(at('10:03'))} 期间不可用；以下数据取自 ${t(at('10:03'))}。`,
  );
  expect(late.header).toEqual(card.header);
});

it('a card without numbers only says it is late', () => {
  const late = withLateNote(card, { from: at('23:58', 24), to: at('00:01') });
  const first = { ...late, body: { elements: late.body.elements.slice(0, 1) } };
  expect(cardText(first, 'en')).toMatch(
    /^⏳ Feishu was unavailable from <local_datetime .*, so this answer is late\.$/m,
  );
  expect(cardText(first, 'zh')).toMatch(/期间不可用，所以这条回复晚到了。$/m);
});
