/** One rate budget for every replica, on Redis's clock, against a real redis-server. */
import type { Redis } from 'ioredis';
import { redisBudgets } from '../../../src/state/redis/redisBudget.js';
import type { Slot } from '../../../src/scheduling/budget.js';
import { connectReplica, RedisServer } from '../../support/redisServer.js';
import { until } from '../../support/until.js';

let server: RedisServer;
let connections: Redis[];

beforeAll(async () => {
  server = await RedisServer.start();
  connections = await Promise.all([1, 2, 3].map(() => connectReplica(server.url)));
});
afterAll(async () => {
  for (const c of connections) c.disconnect();
  await server.close();
});

const LIMIT = [{ windowMs: 1_000, max: 5 }];
const isSlot = (taken: Slot | number): taken is Slot => typeof taken === 'object';

/** The Redis server's clock, which the budget goes by. */
async function redisNow(): Promise<number> {
  const [seconds, micros] = await connections[0]!.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/** The scores of a budget's members: a deadline ahead while its call runs, its completion time once released. */
async function scores(name: string): Promise<number[]> {
  const flat = await connections[0]!.zrange(`reads:window:${name}`, 0, -1, 'WITHSCORES');
  return flat.filter((_, i) => i % 2 === 1).map(Number);
}

/** Releases the slots (fire-and-forget in the budget), waits until Redis has them all as completed, and returns the completion times. */
async function releaseAll(name: string, slots: Slot[]): Promise<number[]> {
  const releasedFrom = await redisNow();
  for (const slot of slots) slot.release(0);
  let completed: number[] = [];
  await until(
    async () => {
      const now = await redisNow();
      completed = await scores(name);
      return completed.length === slots.length && completed.every((t) => t <= now);
    },
    10_000,
    'Redis to record the releases',
  );
  // Each is scored with when it completed: not before the releases began (and not after, as checked above).
  expect(completed.filter((t) => t < releasedFrom)).toEqual([]);
  return completed;
}

it('hands out at most `max` slots in all, whichever replica asks', async () => {
  const budgets = connections.map((c, i) => redisBudgets(c, `replica-${i}`, 1_000)('shared', LIMIT));
  const taken = [];
  for (let i = 0; i < 15; i++) taken.push(await budgets[i % 3]!.take());
  const slots = taken.filter(isSlot);
  expect(slots).toHaveLength(5);
  // Full of calls in flight: look again shortly, not a window later.
  expect(taken.filter((t): t is number => !isSlot(t)).every((wait) => wait > 0 && wait < 100)).toBe(true);

  // Completed calls count one more window from their completion; then the window has room again.
  const completed = await releaseAll('shared', slots);
  await until(
    async () => (await redisNow()) >= Math.min(...completed) + LIMIT[0]!.windowMs,
    100_000,
    'a window to pass on Redis’s clock',
  );
  expect(isSlot(await budgets[1]!.take())).toBe(true);
}, 120_000);

it('tells a caller how long until a completed call leaves the window, on Redis’s clock', async () => {
  // A window of 100 s: whatever happens between the releases and the next take, it is still full.
  const WIDE = [{ windowMs: 100_000, max: 5 }];
  const budgets = connections.map((c, i) => redisBudgets(c, `replica-${i}`, 1_000)('wide', WIDE));
  const slots: Slot[] = [];
  for (let i = 0; i < 5; i++) {
    const taken = await budgets[i % 3]!.take();
    if (!isSlot(taken)) throw new Error(`no slot for take ${i}: ${taken}`);
    slots.push(taken);
  }
  const oldest = Math.min(...(await releaseAll('wide', slots)));
  const before = await redisNow();
  const wait = await budgets[2]!.take();
  const after = await redisNow();
  expect(isSlot(wait)).toBe(false);
  // It was asked at some moment between `before` and `after`; it answers until the oldest completion is a window old.
  expect(wait).toBeGreaterThanOrEqual(oldest + 100_000 - after);
  expect(wait).toBeLessThanOrEqual(oldest + 100_000 - before);
});

it('counts each name on its own', async () => {
  const budgets = redisBudgets(connections[0]!, 'replica-0', 1_000);
  const chat = budgets('chat:oc_busy', LIMIT);
  for (let i = 0; i < 5; i++) expect(isSlot(await chat.take())).toBe(true);
  expect(isSlot(await chat.take())).toBe(false);
  expect(isSlot(await budgets('chat:oc_quiet', LIMIT).take())).toBe(true);
});

it('keeps the reserve for every replica at once: bulk stops at its share, a person’s call still goes', async () => {
  const limits = [{ windowMs: 60_000, max: 10 }];
  const bulk = [{ windowMs: 60_000, max: 9 }];
  const budgets = connections.map((c, i) => redisBudgets(c, `replica-${i}`, 1_000)('reserve', limits));
  const bulkTaken = [];
  for (let i = 0; i < 12; i++) bulkTaken.push(await budgets[i % 3]!.take(bulk));
  expect(bulkTaken.filter(isSlot)).toHaveLength(9);
  const person = await budgets[2]!.take();
  expect(isSlot(person)).toBe(true);
  expect(isSlot(await budgets[0]!.take())).toBe(false); // the whole budget is spent now
  await releaseAll('reserve', [...bulkTaken.filter(isSlot), person as Slot]);
});
