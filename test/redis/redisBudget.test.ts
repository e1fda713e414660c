/** One rate budget for every replica, on Redis's clock, against a real redis-server. */
import type { Redis } from 'ioredis';
import { redisBudgets } from '../../src/redis/redisBudget.js';
import type { Slot } from '../../src/throttle/budget.js';
import { connectReplica, RedisServer } from '../support/redisServer.js';

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

it('hands out at most `max` slots in all, whichever replica asks', async () => {
  const budgets = connections.map((c, i) => redisBudgets(c, `replica-${i}`, 1_000)('shared', LIMIT));
  const taken = [];
  for (let i = 0; i < 15; i++) taken.push(await budgets[i % 3]!.take());
  const slots = taken.filter(isSlot);
  expect(slots).toHaveLength(5);
  // Full of calls in flight: look again shortly, not a window later.
  expect(taken.filter((t): t is number => !isSlot(t)).every((wait) => wait > 0 && wait < 100)).toBe(true);

  for (const slot of slots) slot.release(0);
  await new Promise((r) => setTimeout(r, 50));
  const wait = await budgets[0]!.take();
  expect(isSlot(wait)).toBe(false);
  expect(wait).toBeGreaterThan(800); // a completed call counts for one more window
  expect(wait).toBeLessThanOrEqual(1_000);
  await new Promise((r) => setTimeout(r, Number(wait)));
  expect(isSlot(await budgets[1]!.take())).toBe(true);
});

it('counts each name on its own', async () => {
  const budgets = redisBudgets(connections[0]!, 'replica-0', 1_000);
  const chat = budgets('chat:oc_busy', LIMIT);
  for (let i = 0; i < 5; i++) expect(isSlot(await chat.take())).toBe(true);
  expect(isSlot(await chat.take())).toBe(false);
  expect(isSlot(await budgets('chat:oc_quiet', LIMIT).take())).toBe(true);
});
