/** Spending calls well: concurrent queries share one call; a fresh-enough snapshot costs none. */
import { Outbound } from '../../src/feishu/outbound.js';
import type { FeishuApi } from '../../src/feishu/api/openApi.js';
import { createLogger } from '../../src/app/log.js';
import { embeddedState } from '../../src/state/sqlite/sqliteState.js';
import { SEEN_TTL_MS, Store } from '../../src/state/sqlite/store.js';
import { FakeClock, settle } from '../support/fakeClock.js';
import { PRESS_FRESH_MS, Snapshots } from '../../src/feishu/snapshots.js';

function setup(freshMs = 5000) {
  const clock = new FakeClock(1_000_000);
  let read = 0;
  const calls: string[] = [];
  const api = {
    readUser: async (id: string) => {
      calls.push(id);
      await clock.sleep(100);
      return { readCount: ++read, totalCount: 100 };
    },
  } as unknown as FeishuApi;
  const store = Store.open({ path: ':memory:', now: () => clock.now(), seenTtlMs: SEEN_TTL_MS });
  const outbound = new Outbound({ api, clock, logger: createLogger('silent') });
  const { history, calls: sharing } = embeddedState(store, clock);
  return { clock, calls, store, snapshots: new Snapshots({ outbound, history, calls: sharing, clock, freshMs }) };
}

it('answers 100 people asking for the same id at once with one call, recorded once', async () => {
  const { clock, calls, store, snapshots } = setup();
  const asks = Array.from({ length: 100 }, (_, i) => snapshots.take('bm_a', { askedBy: `ou_${i}` }));
  await settle();
  await clock.advance(200);
  const taken = await Promise.all(asks);
  expect(calls).toEqual(['bm_a']);
  expect(new Set(taken.map((t) => t.snapshot.readCount))).toEqual(new Set([1]));
  expect(store.history.series('bm_a', clock.now())).toHaveLength(1);
  expect(snapshots.stats).toEqual({ calls: 1, shared: 99 });
});

it('reuses a snapshot younger than the freshness window; a Refresh (fresh) asks again', async () => {
  const { clock, calls, snapshots } = setup(5000);
  const first = snapshots.take('bm_a');
  await clock.advance(200);
  await first;
  await clock.advance(3000);
  const reused = await snapshots.take('bm_a');
  expect(reused.snapshot.readCount).toBe(1);
  const fresh = snapshots.take('bm_a', { fresh: true });
  await clock.advance(200);
  expect((await fresh).snapshot.readCount).toBe(2);
  expect((await fresh).earlier.map((s) => s.readCount)).toEqual([1]);
  await clock.advance(6000);
  const later = snapshots.take('bm_a');
  await clock.advance(200);
  expect((await later).snapshot.readCount).toBe(3);
  expect(calls).toHaveLength(3);
});

it('answers 20 presses within a couple of seconds with one call (refresh spam costs no budget)', async () => {
  const { clock, calls, snapshots } = setup(5000);
  const first = snapshots.take('bm_a', { fresh: true });
  await clock.advance(200);
  await first;
  for (let i = 0; i < 20; i++) {
    await clock.advance(50); // 20 presses over the next second, each after the one before has been answered
    expect((await snapshots.take('bm_a', { fresh: true, askedBy: `ou_${i}` })).snapshot.readCount).toBe(1);
  }
  expect(calls).toHaveLength(1);
  await clock.advance(PRESS_FRESH_MS);
  const later = snapshots.take('bm_a', { fresh: true });
  await clock.advance(200);
  expect((await later).snapshot.readCount).toBe(2);
});

it('lets no snapshot serve a press when the freshness window is 0', async () => {
  const { clock, calls, snapshots } = setup(0);
  for (let i = 0; i < 2; i++) {
    const press = snapshots.take('bm_a', { fresh: true });
    await clock.advance(200);
    await press;
  }
  expect(calls).toHaveLength(2);
});

it('does not let a person’s query wait on a watch’s call', async () => {
  const { clock, calls, snapshots } = setup(0);
  const watch = snapshots.take('bm_a', { lane: { cls: 'watch', chat: 'oc_w', person: 'ou_w' } });
  const person = snapshots.take('bm_a');
  await clock.advance(300);
  await Promise.all([watch, person]);
  expect(calls).toEqual(['bm_a', 'bm_a']);
});

it('takes a snapshot another replica took within the freshness window instead of calling', async () => {
  const clock = new FakeClock(1_000_000);
  const calls: string[] = [];
  const api = {
    readUser: async (id: string) => {
      calls.push(id);
      return { readCount: 9, totalCount: 100 };
    },
  } as unknown as FeishuApi;
  const store = Store.open({ path: ':memory:', now: () => clock.now(), seenTtlMs: SEEN_TTL_MS });
  const { history } = embeddedState(store, clock);
  const theirs = { batchId: 'bm_a', readCount: 4, totalCount: 100, takenAt: clock.now() - 1_000 };
  const sharing = { recent: async () => theirs, share: (_key: string, call: () => Promise<typeof theirs>) => call() };
  const outbound = new Outbound({ api, clock, logger: createLogger('silent') });
  const snapshots = new Snapshots({ outbound, history, calls: sharing, clock, freshMs: 5_000 });
  expect((await snapshots.take('bm_a')).snapshot).toEqual(theirs);
  expect(calls).toEqual([]);
  expect(snapshots.stats).toEqual({ calls: 0, shared: 1 });
  // A press wants numbers of the last 2 s: the other replica's, 1 s old, still do.
  expect((await snapshots.take('bm_a', { fresh: true })).snapshot.readCount).toBe(4);
  await clock.advance(1_500);
  expect((await snapshots.take('bm_a', { fresh: true })).snapshot.readCount).toBe(9);
  expect(calls).toEqual(['bm_a']);
});
