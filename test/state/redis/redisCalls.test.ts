/** Identical queries on two replicas share one call, against a real redis-server. */
import type { Redis } from 'ioredis';
import { RedisCalls } from '../../../src/state/redis/redisCalls.js';
import { connectReplica, RedisServer } from '../../support/redisServer.js';
import { systemClock } from '../../../src/domain/clock.js';
import type { Snapshot } from '../../../src/domain/types.js';
import { until } from '../../support/until.js';

/** The system clock, counting the sleeps: a replica that sleeps is polling for another one's call. */
const polling = {
  sleeps: 0,
  now: () => systemClock.now(),
  sleep(ms: number) {
    this.sleeps++;
    return systemClock.sleep(ms);
  },
};

let server: RedisServer;
let connections: Redis[];
let a: RedisCalls;
let b: RedisCalls;

beforeAll(async () => {
  server = await RedisServer.start();
  connections = [await connectReplica(server.url), await connectReplica(server.url)];
  a = new RedisCalls(connections[0]!, systemClock, 5_000);
  b = new RedisCalls(connections[1]!, polling, 5_000);
});
afterAll(async () => {
  for (const c of connections) c.disconnect();
  await server.close();
});

/** A Feishu call that lasts until the test ends it, recording who made it. */
function heldCall(calls: string[], who: string, batchId: string) {
  let end!: (fail?: Error) => void;
  const done = new Promise<void>((resolve, reject) => (end = (fail) => (fail ? reject(fail) : resolve())));
  const call = async (): Promise<Snapshot> => {
    calls.push(who);
    await done;
    return { batchId, readCount: 1, totalCount: 2, takenAt: Date.now() };
  };
  return { call, end };
}

/** Starts `a`'s call, then `b`'s identical query once `a`'s is under way, and waits until `b` is waiting for it. */
async function bWaitsForA(key: string, calls: string[], batchId: string) {
  const first = heldCall(calls, 'a', batchId);
  const fromA = a.share(key, first.call);
  await until(() => calls.includes('a'), 10_000, 'a to start its call'); // its in-flight marker is set by then
  const sleepsBefore = polling.sleeps;
  const second = heldCall(calls, 'b', batchId);
  const fromB = b.share(key, second.call);
  await until(() => polling.sleeps > sleepsBefore, 10_000, 'b to wait for a’s call');
  return { fromA, fromB, endA: first.end, endB: second.end };
}

it('lets the second replica wait for the first one’s call, then remembers the snapshot for the freshness window', async () => {
  const calls: string[] = [];
  const { fromA, fromB, endA } = await bWaitsForA('interactive:bm_a', calls, 'bm_a');
  endA();
  const snapshot = await fromA;
  expect(await fromB).toEqual(snapshot);
  expect(calls).toEqual(['a']);
  expect(await b.recent('bm_a')).toEqual(snapshot);
});

it('calls itself when the other replica’s call fails', async () => {
  const calls: string[] = [];
  const { fromA, fromB, endA, endB } = await bWaitsForA('interactive:bm_b', calls, 'bm_b');
  endA(new Error('Feishu said no'));
  await expect(fromA).rejects.toThrow('Feishu said no');
  await until(() => calls.length === 2, 10_000, 'b to make its own call');
  endB();
  expect((await fromB).batchId).toBe('bm_b');
  expect(calls).toEqual(['a', 'b']);
});
