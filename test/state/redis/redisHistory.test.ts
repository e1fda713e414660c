/** Snapshot history shared by replicas, against a real redis-server, and against the SQLite history it stands in for. */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { RedisHistory } from '../../../src/state/redis/redisHistory.js';
import { SnapshotHistory } from '../../../src/state/sqlite/history.js';
import { connectReplica, RedisServer } from '../../support/redisServer.js';
import { BotError } from '../../../src/domain/errors.js';
import type { Snapshot } from '../../../src/domain/types.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

let server: RedisServer;
let connections: Redis[];
let a: RedisHistory;
let b: RedisHistory;

beforeAll(async () => {
  server = await RedisServer.start();
  connections = [await connectReplica(server.url), await connectReplica(server.url)];
  a = new RedisHistory(connections[0]!);
  b = new RedisHistory(connections[1]!);
});
afterAll(async () => {
  for (const c of connections) c.disconnect();
  await server.close();
});
beforeEach(() => connections[0]!.flushall());

const snap = (batchId: string, readCount: number, takenAt: number, totalCount = 100): Snapshot => ({
  batchId,
  readCount,
  totalCount,
  takenAt,
});

it('gives back what was recorded, on any replica, without who asked', async () => {
  await a.record(snap('bm_a', 10, NOW - 60_000), 'ou_ann');
  expect(await b.series('bm_a', NOW)).toEqual([snap('bm_a', 10, NOW - 60_000)]);
  expect(await a.series('bm_other', NOW)).toEqual([]);
});

it('keeps the series oldest first, whichever order the replicas recorded it in', async () => {
  await a.record(snap('bm_a', 30, NOW - 1_000));
  await b.record(snap('bm_a', 10, NOW - 3 * DAY));
  await a.record(snap('bm_a', 20, NOW - 2 * DAY));
  await b.record(snap('bm_b', 99, NOW - 2_000));
  expect((await a.series('bm_a', NOW)).map((s) => s.readCount)).toEqual([10, 20, 30]);
  expect((await b.series('bm_b', NOW)).map((s) => s.readCount)).toEqual([99]);
});

it('keeps two equal snapshots taken in the same millisecond apart, then only the first and the latest of the minute', async () => {
  await a.record(snap('bm_a', 5, NOW - 1_000), 'ou_ann');
  await b.record(snap('bm_a', 5, NOW - 1_000), 'ou_ann');
  expect((await a.series('bm_a', NOW)).map((s) => s.readCount)).toEqual([5, 5]);
  await b.record(snap('bm_a', 7, NOW - 1_000), 'ou_bob');
  expect((await a.series('bm_a', NOW)).map((s) => s.readCount).sort()).toEqual([5, 7]);
});

it('shows the last 30 days: a snapshot exactly 30 days old is in, a millisecond older is out', async () => {
  // Recorded newest first: recording prunes only what is 30 days older than the snapshot itself.
  await a.record(snap('bm_a', 3, NOW));
  await a.record(snap('bm_a', 2, NOW - 30 * DAY));
  await a.record(snap('bm_a', 1, NOW - 30 * DAY - 1));
  expect((await a.series('bm_a', NOW)).map((s) => s.readCount)).toEqual([2, 3]);
  // Read a day earlier, the older one is still in the window.
  expect((await a.series('bm_a', NOW - DAY)).map((s) => s.readCount)).toEqual([1, 2, 3]);
});

it('forgets in Redis what fell out of the window when a newer snapshot is recorded, and lets the key expire after 30 days', async () => {
  const key = 'reads:history:bm_a';
  await a.record(snap('bm_a', 1, NOW - 40 * DAY));
  await a.record(snap('bm_a', 2, NOW - 29 * DAY));
  expect(await connections[0]!.zcard(key)).toBe(2); // 40 days before NOW, but only 11 before the newest then
  await a.record(snap('bm_a', 3, NOW));
  expect(await connections[0]!.zcard(key)).toBe(2);
  expect((await b.series('bm_a', NOW - 35 * DAY)).map((s) => s.readCount)).toEqual([2, 3]);
  const ttl = await connections[0]!.pttl(key);
  expect(ttl).toBeGreaterThan(30 * DAY - 60_000);
  expect(ttl).toBeLessThanOrEqual(30 * DAY);
});

it('answers what the SQLite history answers, for any snapshots taken at distinct times, read after the newest', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uniqueArray(fc.integer({ min: -45 * DAY, max: DAY }), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 0, max: 10 * DAY }),
      async (offsets, later) => {
        const readAt = Math.max(...offsets) + later; // read when the newest was taken, or later
        // Left out: two snapshots exactly 30 days apart. Recording the newer prunes the older in Redis
        // (score <= taken - 30 days), while SQLite keeps it and shows it at exactly 30 days (taken >= now - 30 days).
        fc.pre(offsets.every((x) => offsets.every((y) => y - x !== 30 * DAY)));
        await connections[0]!.flushall();
        const sqlite = new SnapshotHistory(new Database(':memory:'));
        // Recorded in time order, as a bot records them.
        for (const [i, offset] of [...offsets].sort((x, y) => x - y).entries()) {
          const s = snap(i % 2 ? 'bm_a' : 'bm_b', i, NOW + offset);
          await (i % 3 ? a : b).record(s, 'ou_x');
          sqlite.record(s, 'ou_x');
        }
        for (const id of ['bm_a', 'bm_b'])
          expect(await a.series(id, NOW + readAt)).toEqual(sqlite.series(id, NOW + readAt));
      },
    ),
    { numRuns: 50 },
  );
});

it('fails as "unavailable" while Redis is down, and works again once it is back', async () => {
  await server.stop();
  try {
    const error = await a.record(snap('bm_a', 1, NOW)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BotError);
    expect((error as BotError).code).toBe('unavailable');
    await expect(a.series('bm_a', NOW)).rejects.toMatchObject({ code: 'unavailable' });
  } finally {
    await server.resume();
  }
  for (const c of connections) if (c.status !== 'ready') await new Promise((resolve) => c.once('ready', resolve));
  await a.record(snap('bm_a', 2, NOW));
  expect((await b.series('bm_a', NOW)).map((s) => s.readCount)).toEqual([2]);
});
