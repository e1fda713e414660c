import { buildDidYouMeanCard } from '../../src/cards/didYouMeanCard.js';
import { buildStopAnswerCard, buildWatchRunningCard } from '../../src/cards/watchCards.js';
import type { Watch } from '../../src/domain/types.js';
import { buttonValue, cardText, expectValidCard } from '../support/cards.js';

const NOW = Date.UTC(2025, 0, 15, 4);
const HOUR = 3_600_000;
const watch: Watch = {
  ...{ id: 'w_1', batchId: 'bm_a', chatId: 'oc_1', cardMessageId: 'om_card', startedBy: 'ou_starter' },
  ...{ startedAt: NOW - HOUR, until: NOW + HOUR, intervalMs: 300_000, nextAt: NOW },
};

describe('buildWatchRunningCard', () => {
  it('names who started the watch, without notifying them, and when it ends, in each reader’s own zone', () => {
    const card = buildWatchRunningCard(watch, { durationMs: HOUR / 2, intervalMs: 300_000 }, NOW);
    expectValidCard(card);
    const en = cardText(card, 'en');
    expect(en).toContain(
      "started by <person id='ou_starter' show_name=true show_avatar=true style='capsule'></person>",
    );
    expect(en).not.toContain('<at ');
    expect(en).toContain(`<local_datetime millisecond='${NOW + HOUR}' format_type='date_short'></local_datetime>`);
    expect(buttonValue(card, 'Stop')).toEqual({ a: 'stop_watch', w: 'w_1' });
    expect(en).not.toContain('Extend'); // half an hour from now ends before the watch does
  });

  it('offers Extend when the new ask runs longer than the watch', () => {
    const card = buildWatchRunningCard(watch, { durationMs: 3 * HOUR, intervalMs: 600_000 }, NOW);
    expectValidCard(card);
    expect(buttonValue(card, 'Extend to 3 h')).toEqual({ a: 'extend_watch', w: 'w_1', d: 3 * HOUR, i: 600_000 });
    expect(cardText(card, 'zh')).toContain('「延长」会从现在起重新监控 3 小时，每 10 分钟更新。');
  });
});

it('buildStopAnswerCard says what happened to the watch, in both languages', () => {
  for (const answer of [
    { kind: 'stopped' as const, watch },
    { kind: 'not_watched' as const, batchId: 'bm_a' },
    { kind: 'not_allowed' as const, watch },
  ]) {
    expectValidCard(buildStopAnswerCard(answer));
  }
  expect(cardText(buildStopAnswerCard({ kind: 'not_allowed', watch }), 'zh')).toContain(
    '只有发起人或群主、群管理员可以停止',
  );
});

describe('buildDidYouMeanCard', () => {
  it('gives the exact commands to send, and the words not understood as typed', () => {
    const card = buildDidYouMeanCard(['/reads bm_a history', '/reads bm_a watch'], ['<at id=x>', 'foo']);
    expectValidCard(card);
    const en = cardText(card, 'en');
    expect(en).toContain('Did you mean `/reads bm_a history` or `/reads bm_a watch`?');
    expect(JSON.stringify(card)).toContain('{"tag":"plain_text","content":"<at id=x> foo"}'); // shown, never read as markup
    expect(cardText(card, 'zh')).toContain('你是想发送 `/reads bm_a history` 或 `/reads bm_a watch` 吗？');
  });

  it('leaves out the words not understood when there are none', () => {
    const en = cardText(buildDidYouMeanCard(['/reads bm_a watch 2h every 5m'], []), 'en');
    expect(en).not.toContain('did not understand');
  });
});
