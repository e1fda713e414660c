import type { Element } from '../../src/cards/card.js';
import { buildSentListCard, type SentRow } from '../../src/cards/sentListCard.js';
import { BotError } from '../../src/domain/errors.js';
import { explainError } from '../../src/feishu/errorCatalogue.js';
import { buttonValue, cardText, expectValidCard } from '../support/cards.js';
import {
  aLargestSend,
  aSend,
  bytes,
  markdownTexts,
  NOW,
  OUTSIDE,
  plainTexts,
  WELL_UNDER_30_KB,
} from './sendFixtures.js';

const MIN = 60_000;
const sentRow = (i: number, over: Partial<SentRow> = {}): SentRow => {
  const batchId = `bm-${String(i).padStart(32, '0')}`;
  return {
    send: aSend({ id: `snd_${i}`, state: 'sent', batchId, sentAt: NOW - i * 60 * MIN, text: `Message ${i}` }),
    snapshot: { batchId, readCount: 10 * i, totalCount: 40, takenAt: NOW },
    ...over,
  };
};
/** Each row's Open value, top to bottom. */
const opened = (elements: Element[]) =>
  [...JSON.stringify(elements).matchAll(/"value":\{"a":"open_send","s":"(snd_\w+)"\}/g)].map((m) => m[1]);

describe('buildSentListCard', () => {
  it('lists the sends newest first: when, the batch id, to whom, the read rate, and Open', () => {
    const rows = [sentRow(3), sentRow(1), sentRow(2)];
    const card = buildSentListCard(rows, NOW);
    expectValidCard(card);
    expect(opened(card.body.elements)).toEqual(['snd_1', 'snd_2', 'snd_3']);
    const en = cardText(card, 'en');
    const at = NOW - 60 * MIN;
    expect(en).toContain(
      `**<local_datetime millisecond='${at}' format_type='date_short'></local_datetime> <local_datetime millisecond='${at}' format_type='time'></local_datetime>** · \`bm-00000000000000000000000000000001\`\n1 department, 3 people · Read 10/40 (25.0%)`,
    );
    expect(cardText(card, 'zh')).toContain('1 个部门、3 人 · 已读 10/40 (25.0%)');
    expect(plainTexts(card)).toEqual(['Message 1', 'Message 2', 'Message 3']);
    // Buttons cannot sit in a table: each row is a column set, the button in its own column.
    expect(card.body.elements.filter((e) => e.tag === 'column_set')).toHaveLength(3);
    expect(JSON.stringify(card)).not.toContain('"tag":"table"');
    expect(card.config.summary.i18n_content?.en_us).toBe('Your latest batch messages (3)');
  });

  it('shows the state of a send not (or no longer) counted, and the error code of a failure', () => {
    const failed = aSend({
      id: 'snd_f',
      state: 'failed',
      createdAt: NOW - MIN,
      error: { code: 'feishu_api', feishuCode: 230027, message: 'x' },
    });
    const rows: SentRow[] = [
      { send: failed },
      { send: aSend({ id: 'snd_u', state: 'unconfirmed', createdAt: NOW - 2 * MIN }) },
      { send: aSend({ id: 'snd_c', state: 'cancelled', createdAt: NOW - 3 * MIN }) },
      { send: aSend({ id: 'snd_r', state: 'recalled', batchId: 'bm-r', sentAt: NOW - 4 * MIN }) },
      {
        ...sentRow(5),
        snapshot: undefined,
        error: explainError(new BotError('feishu_api', 'x', { feishuCode: 230030 })),
      },
      { send: aSend({ id: 'snd_q', state: 'queued', createdAt: NOW - 9 * 60 * MIN }) },
    ];
    const card = buildSentListCard(rows, NOW);
    expectValidCard(card);
    const en = cardText(card, 'en');
    expect(en).toContain('1 department, 3 people · ❌ Not sent · error 230027');
    expect(en).toContain('· ❔ Not known whether sent');
    expect(en).toContain('· 🚫 Cancelled');
    expect(en).toContain('`bm-r`\n1 department, 3 people · ↩️ Recalled');
    expect(en).toContain('· 📨 Sent · error 230030');
    expect(en).toContain('· ⏳ Waiting to go out');
    expect(cardText(card, 'zh')).toContain('🚫 已取消');
    expect(cardText(card, 'zh')).toContain('❌ 没有发出 · 错误码 230027');
    expect(opened(card.body.elements)).toEqual(['snd_f', 'snd_u', 'snd_c', 'snd_r', 'snd_5', 'snd_q']);
  });

  it('shows what each person wrote as plain text, cut short, never as markdown', () => {
    const card = buildSentListCard([{ send: aSend({ text: `${OUTSIDE}\n${'y'.repeat(200)}` }) }], NOW);
    expectValidCard(card);
    for (const md of markdownTexts(card)) expect(md).not.toContain('<at id=all>');
    expect(plainTexts(card)).toEqual([`${`${OUTSIDE} ${'y'.repeat(200)}`.slice(0, 60)}…`]);
  });

  it('says how to send one when there is none', () => {
    const card = buildSentListCard([], NOW);
    expectValidCard(card);
    expect(cardText(card, 'en')).toContain('You have not sent a batch message through this bot yet. Send `/send`');
    expect(cardText(card, 'zh')).toContain('你还没有通过这个机器人发过批量消息');
    expect(buttonValue(card, 'Write a batch message')).toEqual({ a: 'send_form' });
  });

  it('stays well under 30 KB with ten sends of 4 × 200 ids and 1,000 characters each, and lists ten at most', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ send: aLargestSend({ id: `snd_${i}`, createdAt: NOW - i }) }));
    const card = buildSentListCard(rows, NOW);
    expectValidCard(card);
    expect(bytes(card)).toBeLessThan(WELL_UNDER_30_KB);
    expect(opened(card.body.elements)).toHaveLength(10);
    expect(cardText(card, 'en')).toContain('200 departments, 600 people');
  });
});
