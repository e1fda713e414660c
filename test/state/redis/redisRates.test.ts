/** Per-person rates shared by every replica, against a real redis-server. */
import type { Redis } from 'ioredis';
import { redisBudgets } from '../../../src/state/redis/redisBudget.js';
import { budgetRates } from '../../../src/scheduling/rates.js';
import { connectReplica, RedisServer } from '../../support/redisServer.js';

let server: RedisServer;
let connections: Redis[];

beforeAll(async () => {
  server = await RedisServer.start();
  connections = await Promise.all([1, 2].map(() => connectReplica(server.url)));
});
afterAll(async () => {
  for (const c of connections) c.disconnect();
  await server.close();
});

it('limits a person to 20 presses a minute whichever replica their presses reach', async () => {
  const replicas = connections.map((c, i) => budgetRates(redisBudgets(c, `replica-${i}`, 1_000)));
  const limit = { windowMs: 60_000, max: 20 };
  const decisions = [];
  for (let i = 0; i < 30; i++) decisions.push(await replicas[i % 2]!.take('presses:ou_a', limit));
  expect(decisions.filter((d) => d.allowed)).toHaveLength(20);
  const refused = decisions.slice(20);
  expect(refused.every((d) => !d.allowed && d.retryAfterMs > 50_000 && d.retryAfterMs <= 60_000)).toBe(true);
  expect(await replicas[1]!.take('presses:ou_b', limit)).toEqual({ allowed: true });
});
