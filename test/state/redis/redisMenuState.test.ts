/** Who was greeted, and the delivery funnels, in Redis: against a real redis-server, shared by two replicas. */
import { RedisGreetings } from '../../../src/state/redis/redisGreetings.js';
import { RedisProgress } from '../../../src/state/redis/redisProgress.js';
import type { Progress } from '../../../src/domain/types.js';
import { redisForFile } from '../../support/redisServer.js';

const redis = redisForFile();
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const DAY = 24 * 60 * 60 * 1000;
const funnel = (readCount: number, takenAt: number): Progress => ({
  batchId: 'bm_a',
  validCount: 10,
  deliveredCount: 9,
  readCount,
  recalled: readCount === 0,
  recallCount: readCount === 0 ? 9 : 0,
  takenAt,
});

it('greets a person once across replicas, for 30 days, and again after a release', async () => {
  const [a, b] = [new RedisGreetings(await redis.connect()), new RedisGreetings(await redis.connect())];
  const marks = await Promise.all([a.mark('ou_x', NOW), b.mark('ou_x', NOW)]);
  expect(marks.sort()).toEqual([false, true]);
  const c = await redis.connect();
  const ttl = await c.pttl('reads:greeted:ou_x');
  expect(ttl).toBeGreaterThan(30 * DAY - 60_000);
  expect(ttl).toBeLessThanOrEqual(30 * DAY);
  await a.release('ou_x');
  expect(await b.mark('ou_x', NOW)).toBe(true);
});

it('records funnels as their own series: oldest first, a minute apart and the latest, 30 days', async () => {
  const [a, b] = [new RedisProgress(await redis.connect()), new RedisProgress(await redis.connect())];
  await a.record(funnel(1, NOW - 31 * DAY));
  await a.record(funnel(2, NOW));
  await b.record(funnel(3, NOW + 10_000));
  await a.record(funnel(0, NOW + 20_000), 'ou_asker');
  expect(await b.series('bm_a', NOW + 20_000)).toEqual([funnel(2, NOW), funnel(0, NOW + 20_000)]);
  expect(await a.series('bm_other', NOW)).toEqual([]);
});
