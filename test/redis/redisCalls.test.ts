/** Identical queries on two replicas share one call, against a real redis-server. */
import type { Redis } from 'ioredis';
import { RedisCalls } from '../../src/redis/redisCalls.js';
import { connectReplica, RedisServer } from '../support/redisServer.js';
import { systemClock } from '../../src/domain/clock.js';
import type { Snapshot } from '../../src/domain/types.js';

let server: RedisServer;
let connections: Redis[];
let a: RedisCalls;
let b: RedisCalls;

beforeAll(async () => {
  server = await RedisServer.start();
  connections = [await connectReplica(server.url), await connectReplica(server.url)];
  a = new RedisCalls(connections[0]!, systemClock, 5_000);
  b = new RedisCalls(connections[1]!, systemClock, 5_000);
});
afterAll(async () => {
  for (const c of connections) c.disconnect();
  await server.close();
});

const slowCall =
  (calls: string[], who: string, batchId: string, fail = false) =>
  async (): Promise<Snapshot> => {
    calls.push(who);
    await new Promise((r) => setTimeout(r, 300));
    if (fail) throw new Error('Feishu said no');
    return { batchId, readCount: 1, totalCount: 2, takenAt: Date.now() };
  };

it('lets the second replica wait for the first one’s call, then remembers the snapshot for the freshness window', async () => {
  const calls: string[] = [];
  const first = a.share('interactive:bm_a', slowCall(calls, 'a', 'bm_a'));
  await new Promise((r) => setTimeout(r, 50));
  const second = b.share('interactive:bm_a', slowCall(calls, 'b', 'bm_a'));
  expect(await second).toEqual(await first);
  expect(calls).toEqual(['a']);
  expect(await b.recent('bm_a')).toEqual(await first);
});

it('calls itself when the other replica’s call fails', async () => {
  const calls: string[] = [];
  const first = a.share('interactive:bm_b', slowCall(calls, 'a', 'bm_b', true));
  await new Promise((r) => setTimeout(r, 50));
  const second = b.share('interactive:bm_b', slowCall(calls, 'b', 'bm_b'));
  await expect(first).rejects.toThrow('Feishu said no');
  expect((await second).batchId).toBe('bm_b');
  expect(calls).toEqual(['a', 'b']);
});
