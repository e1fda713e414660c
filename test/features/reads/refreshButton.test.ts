/**
 * The Refresh handler on its own, through a fake ActionContext: the press is
 * answered in the callback when the numbers come in time, otherwise with
 * "Refreshing…" and a later update; presses on one card share one refresh.
 */
import { refresh } from '../../../src/features/reads/refreshButton.js';
import type { Card } from '../../../src/cards/card.js';
import { buildReadsCard } from '../../../src/cards/readsCard.js';
import { BotError } from '../../../src/domain/errors.js';
import type { Watch } from '../../../src/domain/types.js';
import type { Taken } from '../../../src/feishu/snapshots.js';
import { cardText } from '../../support/cards.js';
import { settle } from '../../support/fakeClock.js';
import { counts, fakeActionContext, FakeWatches, NOW, snapshotsFrom } from '../../support/fakeContexts.js';
import { feishuError, gate } from '../../support/inProcessBot.js';

const en = (card: unknown) => cardText(card, 'en');
const cardOf = (a: { card?: { data: Card } }) => a.card?.data;

const WATCH: Watch = {
  id: 'w_1',
  batchId: 'bm_a',
  chatId: 'oc_chat',
  cardMessageId: 'om_card',
  startedBy: 'ou_starter',
  startedAt: NOW - 60_000,
  until: NOW + 3_600_000,
  intervalMs: 300_000,
  nextAt: NOW + 240_000,
};

it('answers in the callback with fresh numbers and who refreshed', async () => {
  const ctx = fakeActionContext({ snapshot: snapshotsFrom({ bm_a: counts('bm_a', 7, 10) }) });
  const answer = await refresh()({ a: 'refresh', ids: ['bm_a'] }, ctx);
  expect(answer.toast?.i18n.en_us).toBe('Refreshed.');
  expect(en(cardOf(answer))).toContain('Read rate: 70.0%');
  // Shown, not mentioned: the press notifies nobody.
  expect(en(cardOf(answer))).toContain("refreshed by <person id='ou_presser'");
  expect(JSON.stringify(cardOf(answer))).not.toContain('<at');
  expect(ctx.later).toEqual([]);
});

it('says what changed since the snapshot the pressed card showed, found in the history', async () => {
  const shown = counts('bm_a', 3, 10, NOW - 600_000);
  const older = counts('bm_a', 1, 10, NOW - 1_200_000);
  const snapshot = async () => ({ snapshot: counts('bm_a', 7, 10), earlier: [older, shown] });
  const answer = await refresh()({ a: 'refresh', ids: ['bm_a'], at: shown.takenAt }, fakeActionContext({ snapshot }));
  expect(en(cardOf(answer))).toContain("Since this card's previous snapshot");
  expect(en(cardOf(answer))).toContain('**+4** read, read rate **+40.0** pts');
  // A card whose snapshot is no longer in the history says no change rather than a wrong one.
  const gone = await refresh()({ a: 'refresh', ids: ['bm_a'], at: 1 }, fakeActionContext({ snapshot }));
  expect(en(cardOf(gone))).not.toContain('📈');
});

it('a Retry that fails again answers with a warning, and the card shows the new attempt', async () => {
  const ctx = fakeActionContext({
    snapshot: snapshotsFrom({ bm_a: new BotError('feishu_http', 'bad', { httpStatus: 502 }) }),
  });
  const answer = await refresh()({ a: 'refresh', ids: ['bm_a'] }, ctx);
  expect(answer.toast).toMatchObject({ type: 'warning' });
  expect(answer.toast?.i18n.en_us).toBe('Tried again, but the query still fails. The card says why and what to do.');
  expect(en(cardOf(answer))).toContain(`Tried at: <local_datetime millisecond='${NOW}' format_type='date_num'>`);
});

it('a multi-id refresh with a failing id warns too', async () => {
  const ctx = fakeActionContext({
    snapshot: snapshotsFrom({ bm_a: counts('bm_a', 7, 10), bm_b: feishuError(230030) }),
  });
  const answer = await refresh()({ a: 'refresh', ids: ['bm_a', 'bm_b'] }, ctx);
  expect(answer.toast).toMatchObject({ type: 'warning' });
  const all = await refresh()(
    { a: 'refresh', ids: ['bm_a'] },
    fakeActionContext({ snapshot: snapshotsFrom({ bm_a: counts('bm_a', 7, 10) }) }),
  );
  expect(all.toast).toMatchObject({ type: 'success' });
});

it('shows a watched card with its watch line', async () => {
  const watches = new FakeWatches();
  await watches.add(WATCH);
  const ctx = fakeActionContext({ snapshot: snapshotsFrom({ bm_a: counts('bm_a', 7, 10) }), watches });
  const answer = await refresh()({ a: 'refresh', ids: ['bm_a'], w: 'w_1' }, ctx);
  expect(en(cardOf(answer))).toContain('Watching: updates every 5 min');
});

it('answers a failed query with the error card (still in the callback)', async () => {
  const ctx = fakeActionContext({ snapshot: snapshotsFrom({ bm_a: feishuError(230030) }) });
  const answer = await refresh()({ a: 'refresh', ids: ['bm_a'] }, ctx);
  expect(en(cardOf(answer))).toContain('Error code: 230030');
});

it('presses on one card while its refresh runs share that refresh: one snapshot, the same card for both', async () => {
  const held = gate<Taken>();
  let taken = 0;
  const snapshot = () => (taken++, held.promise);
  const handler = refresh();
  const first = handler({ a: 'refresh', ids: ['bm_a'] }, fakeActionContext({ snapshot }));
  const second = handler(
    { a: 'refresh', ids: ['bm_a'] },
    fakeActionContext({ snapshot, press: { operatorOpenId: 'ou_second' } }),
  );
  await settle();
  held.resolve({ snapshot: counts('bm_a', 5, 10), earlier: [] });
  const [a, b] = await Promise.all([first, second]);
  expect(taken).toBe(1);
  expect(cardOf(a)).toEqual(cardOf(b));

  // Once it is done, the next press refreshes anew.
  await handler({ a: 'refresh', ids: ['bm_a'] }, fakeActionContext({ snapshot }));
  expect(taken).toBe(2);
});

it('presses on two different cards do not share', async () => {
  const held = gate<Taken>();
  let taken = 0;
  const snapshot = () => (taken++, held.promise);
  const handler = refresh();
  const one = handler({ a: 'refresh', ids: ['bm_a'] }, fakeActionContext({ snapshot, press: { messageId: 'om_1' } }));
  const two = handler({ a: 'refresh', ids: ['bm_a'] }, fakeActionContext({ snapshot, press: { messageId: 'om_2' } }));
  await settle();
  held.resolve({ snapshot: counts('bm_a', 5, 10), earlier: [] });
  await Promise.all([one, two]);
  expect(taken).toBe(2);
});

describe('when the numbers do not come within the callback budget', () => {
  it('answers "Refreshing…" and updates the card with them later', async () => {
    const held = gate<Taken>();
    const ctx = fakeActionContext({ snapshot: () => held.promise });
    const pressed = refresh()({ a: 'refresh', ids: ['bm_a'] }, ctx);
    await settle();
    ctx.timeUp();
    const answer = await pressed;
    expect(answer).toEqual({ toast: expect.objectContaining({ type: 'info' }) });
    expect(answer.toast?.i18n.en_us).toBe('Refreshing…');
    expect(ctx.later).toHaveLength(1);
    held.resolve({ snapshot: counts('bm_a', 9, 10), earlier: [] });
    const late = await ctx.later[0]!.ready;
    const shown = await ctx.later[0]!.rebuild!(late);
    expect(en(shown)).toContain('Read rate: 90.0%');
  });

  it('on a watched card, the late update is the watch as it stands then (not as it stood at the press)', async () => {
    const held = gate<Taken>();
    const watches = new FakeWatches();
    await watches.add(WATCH);
    const ctx = fakeActionContext({ snapshot: () => held.promise, watches });
    const pressed = refresh()({ a: 'refresh', ids: ['bm_a'], w: 'w_1' }, ctx);
    await settle();
    ctx.timeUp();
    await pressed;
    held.resolve({ snapshot: counts('bm_a', 9, 10), earlier: [] });
    const late = await ctx.later[0]!.ready;
    // Meanwhile the watch was stopped: the store's card says so.
    const stopped = { ...WATCH, endedReason: 'stopped' as const, endedBy: 'ou_starter', endedAt: NOW };
    watches.cardNowIs = buildReadsCard({ snapshot: counts('bm_a', 9, 10), watch: stopped, now: NOW }, 'Asia/Shanghai');
    const shown = await ctx.later[0]!.rebuild!(late);
    expect(en(shown)).toContain("Watch stopped by <person id='ou_starter'");
    expect(watches.cardNowAsked).toEqual([{ watchId: 'w_1', refreshedBy: 'ou_presser' }]);

    // A watch gone from the store: the refreshed card as it is.
    watches.cardNowIs = undefined;
    expect(await ctx.later[0]!.rebuild!(late)).toBe(late);
  });
});

it('says "restarting" and leaves the card alone when the refresh is cut short by a shutdown', async () => {
  const ctx = fakeActionContext({ snapshot: snapshotsFrom({ bm_a: new BotError('cancelled', 'shutting down') }) });
  const answer = await refresh()({ a: 'refresh', ids: ['bm_a'] }, ctx);
  expect(answer.toast?.i18n.en_us).toBe('The bot is restarting; try again shortly.');
  expect(answer.card).toBeUndefined();
});

it('throws the shared state being out of reach on (the guard chain answers "unavailable")', async () => {
  const ctx = fakeActionContext({ snapshot: snapshotsFrom({ bm_a: new BotError('unavailable', 'redis down') }) });
  await expect(refresh()({ a: 'refresh', ids: ['bm_a'] }, ctx)).rejects.toMatchObject({ code: 'unavailable' });
});
