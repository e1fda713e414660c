import { withLateNote } from '../../src/cards/lateNote.js';
import { buildReadsCard } from '../../src/cards/readsCard.js';
import { cardText } from '../support/cards.js';

const at = (hhmm: string, day = 25) => Date.parse(`2026-11-${day}T${hhmm}:00+08:00`);
const card = buildReadsCard(
  { snapshot: { batchId: 'bm_a', readCount: 3, totalCount: 4, takenAt: at('10:03') }, now: at('10:03') },
  'Asia/Shanghai',
);

it('says, in both languages and first, when Feishu was unavailable and when the numbers were taken', () => {
  const late = withLateNote(
    card,
    { from: at('10:02'), to: at('10:03'), takenAt: at('10:03'), now: at('10:04') },
    'Asia/Shanghai',
  );
  expect(late.body.elements.slice(1)).toEqual(card.body.elements);
  const first = { ...late, body: { elements: late.body.elements.slice(0, 1) } };
  expect(cardText(first, 'en')).toContain(
    'Feishu was unavailable from 10:02 to 10:03; these numbers were taken at 10:03.',
  );
  expect(cardText(first, 'zh')).toContain('飞书在 10:02 至 10:03 期间不可用；以下数据取自 10:03。');
  expect(late.header).toEqual(card.header);
});

it('a card without numbers only says it is late; a time of another day shows its date', () => {
  const late = withLateNote(card, { from: at('23:58', 24), to: at('00:01'), now: at('00:02') }, 'Asia/Shanghai');
  const first = { ...late, body: { elements: late.body.elements.slice(0, 1) } };
  expect(cardText(first, 'en')).toContain('Feishu was unavailable from Nov 24 23:58 to 00:01, so this answer is late.');
  expect(cardText(first, 'zh')).toContain('飞书在 11-24 23:58 至 00:01 期间不可用，所以这条回复晚到了。');
});
