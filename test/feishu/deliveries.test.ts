/** Delivery funnels are spent like snapshots: concurrent asks share a call, a fresh one costs none, each call recorded. */
import { Outbound } from '../../src/feishu/outbound.js';
import type { FeishuApi } from '../../src/feishu/api/openApi.js';
import { createLogger } from '../../src/app/log.js';
import { embeddedState } from '../../src/state/sqlite/sqliteState.js';
import { Deliveries } from '../../src/feishu/deliveries.js';
import { SEEN_TTL_MS, Store } from '../../src/state/sqlite/store.js';
import { FakeClock, settle } from '../support/fakeClock.js';

function setup(freshMs = 5000) {
  const clock = new FakeClock(1_000_000);
  let read = 0;
  const calls: string[] = [];
  const api = {
    getProgress: async (id: string) => {
      calls.push(id);
      await clock.sleep(100);
      return { validCount: 10, deliveredCount: 9, readCount: ++read, recalled: false, recallCount: 0 };
    },
  } as unknown as FeishuApi;
  const store = Store.open({ path: ':memory:', now: () => clock.now(), seenTtlMs: SEEN_TTL_MS });
  const outbound = new Outbound({ api, clock, logger: createLogger('silent') });
  const { progress } = embeddedState(store, clock);
  return { clock, calls, store, deliveries: new Deliveries({ outbound, progress, clock, freshMs }) };
}

it('answers 50 people asking for one id at once with one get_progress call, recorded once in its own series', async () => {
  const { clock, calls, store, deliveries } = setup();
  const asks = Array.from({ length: 50 }, (_, i) => deliveries.take('bm_a', { askedBy: `ou_${i}` }));
  await settle();
  await clock.advance(200);
  const taken = await Promise.all(asks);
  expect(calls).toEqual(['bm_a']);
  expect(new Set(taken.map((t) => t.progress.readCount))).toEqual(new Set([1]));
  expect(store.progress.series('bm_a', clock.now())).toHaveLength(1);
  expect(store.history.series('bm_a', clock.now())).toHaveLength(0); // not mixed with the read counts
  expect(deliveries.stats).toEqual({ calls: 1, shared: 49 });
});

it('reuses a funnel younger than the freshness window; a press (fresh) asks again after 2 s, and sees the one before', async () => {
  const { clock, calls, deliveries } = setup(5000);
  const first = deliveries.take('bm_a');
  await settle();
  await clock.advance(100);
  expect((await first).previous).toBeUndefined();
  await clock.advance(2_000);
  expect((await deliveries.take('bm_a')).progress.readCount).toBe(1);
  const pressed = deliveries.take('bm_a', { fresh: true });
  await settle();
  await clock.advance(100);
  const { progress, previous } = await pressed;
  expect(progress.readCount).toBe(2);
  expect(previous?.readCount).toBe(1);
  expect(calls).toEqual(['bm_a', 'bm_a']);
});

it('keeps the series at least a minute apart, and the latest', async () => {
  const { clock, store, deliveries } = setup(0);
  for (let i = 0; i < 4; i++) {
    const asked = deliveries.take('bm_a');
    await settle();
    await clock.advance(20_000);
    await asked;
  }
  // Taken at +0.1 s, +20.1 s, +40.1 s, +60.1 s: the first, and the latest in place of those in between.
  expect(store.progress.series('bm_a', clock.now()).map((p) => p.readCount)).toEqual([1, 4]);
});

it('keeps the default freshness window (5 s) without one given, and forgets other ids’ funnels once stale', async () => {
  const { clock, calls, store } = setup();
  const outbound = new Outbound({
    api: {
      getProgress: async (id: string) => {
        calls.push(id);
        return { validCount: 1, deliveredCount: 1, readCount: 1, recalled: false, recallCount: 0 };
      },
    } as unknown as FeishuApi,
    clock,
    logger: createLogger('silent'),
  });
  const deliveries = new Deliveries({ outbound, progress: embeddedState(store, clock).progress, clock });
  await deliveries.take('bm_a');
  await clock.advance(4_000);
  await deliveries.take('bm_a');
  await clock.advance(1_500);
  await deliveries.take('bm_b');
  await deliveries.take('bm_a');
  expect(calls).toEqual(['bm_a', 'bm_b', 'bm_a']);
});
