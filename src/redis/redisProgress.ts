/**
 * Delivery funnels (get_progress) in Redis: a sorted set per batch id apart
 * from the read-count history, kept like it (at least a minute apart and the
 * latest, 30 days; in one script), read back as the latest SERIES_LATEST.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { ProgressLog } from '../shared/sharedState.js';
import { HISTORY_KEEP_MS, HISTORY_STEP_MS, SERIES_LATEST } from '../domain/rules.js';
import type { Progress } from '../domain/types.js';
import { luaScript, PREFIX, reach, type Script } from './connect.js';
import { RECORD_IN_SERIES } from './redisHistory.js';

const memberSchema = z.object({
  validCount: z.number(),
  deliveredCount: z.number(),
  readCount: z.number(),
  recalled: z.boolean(),
  recallCount: z.number(),
  takenAt: z.number(),
});

const key = (batchId: string) => `${PREFIX}progress:${batchId}`;

export class RedisProgress implements ProgressLog {
  private readonly recordScript: Script;

  constructor(private readonly redis: Redis) {
    this.recordScript = luaScript(redis, RECORD_IN_SERIES);
  }

  async record(p: Progress, askedBy?: string): Promise<void> {
    const { validCount, deliveredCount, readCount, recalled, recallCount, takenAt } = p;
    // The nonce keeps two equal funnels (same counts, same millisecond) apart.
    const member = JSON.stringify({
      ...{ validCount, deliveredCount, readCount, recalled, recallCount, takenAt, askedBy },
      n: randomBytes(4).toString('hex'),
    });
    await reach(this.recordScript([key(p.batchId)], [takenAt, member, HISTORY_STEP_MS, HISTORY_KEEP_MS]));
  }

  async series(batchId: string, now: number): Promise<Progress[]> {
    const latest = await reach(
      this.redis.zrevrangebyscore(key(batchId), '+inf', now - HISTORY_KEEP_MS, 'LIMIT', 0, SERIES_LATEST),
    );
    return latest.reverse().map((m) => ({ batchId, ...memberSchema.parse(JSON.parse(m)) }));
  }
}
