/** Watches shared by replicas, each driven by one of them, against a real redis-server. */
import type { Redis } from 'ioredis';
import { RedisWatches } from '../../../src/state/redis/redisWatches.js';
import { connectReplica, RedisServer } from '../../support/redisServer.js';
import type { Watch } from '../../../src/domain/types.js';

let server: RedisServer;
let connections: Redis[];
let a: RedisWatches;
let b: RedisWatches;

const watch = (id: string, nextAt: number): Watch => ({
  id,
  batchId: 'bm_w',
  chatId: 'oc_1',
  cardMessageId: `om_${id}`,
  startedBy: 'ou_1',
  startedAt: 0,
  until: 100_000,
  intervalMs: 60_000,
  nextAt,
});

beforeAll(async () => {
  server = await RedisServer.start();
  connections = [await connectReplica(server.url), await connectReplica(server.url)];
  a = new RedisWatches(connections[0]!, 'replica-a');
  b = new RedisWatches(connections[1]!, 'replica-b');
});
afterAll(async () => {
  for (const c of connections) c.disconnect();
  await server.close();
});

it('keeps watches as they were added, soonest first, until they end', async () => {
  await a.add(watch('w2', 20));
  await a.add(watch('w1', 10));
  expect((await b.active()).map((w) => w.id)).toEqual(['w1', 'w2']);
  await b.reschedule('w1', 30);
  expect(await a.get('w1')).toEqual(watch('w1', 30));
  expect(await b.end('w1', 'stopped', 40, 'ou_1')).toBe(true);
  expect(await a.end('w1', 'time_up', 41)).toBe(false); // stopped first
  expect(await a.get('w1')).toMatchObject({ endedReason: 'stopped', endedBy: 'ou_1', endedAt: 40 });
  expect((await a.active()).map((w) => w.id)).toEqual(['w2']);
  await b.end('w2', 'all_read', 50);
});

it('lets one replica drive a watch; another takes it once it is let go', async () => {
  await a.add(watch('w3', 0));
  expect(await a.drive(['w3'])).toEqual(new Set(['w3']));
  expect(await b.drive(['w3'])).toEqual(new Set());
  expect(await a.drive(['w3'])).toEqual(new Set(['w3'])); // kept by renewing
  await a.letGo();
  expect(await b.drive(['w3'])).toEqual(new Set(['w3']));
  expect(await connections[0]!.pttl('reads:watch-lock:w3')).toBeGreaterThan(25_000); // a dead driver's lock runs out by itself
});
