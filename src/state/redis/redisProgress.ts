/**
 * Delivery funnels (get_progress) in Redis: a series per batch id (see
 * redisSeries.ts) apart from the read-count history, read back as the latest
 * SERIES_LATEST.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { ProgressLog } from '../sharedState.js';
import type { Progress } from '../../domain/types.js';
import { RedisSeries } from './redisSeries.js';

const memberSchema = z.object({
  validCount: z.number(),
  deliveredCount: z.number(),
  readCount: z.number(),
  recalled: z.boolean(),
  recallCount: z.number(),
  takenAt: z.number(),
});

export class RedisProgress implements ProgressLog {
  private readonly funnels: RedisSeries;

  constructor(redis: Redis) {
    this.funnels = new RedisSeries(redis, 'progress');
  }

  async record(p: Progress, askedBy?: string): Promise<void> {
    const { validCount, deliveredCount, readCount, recalled, recallCount, takenAt } = p;
    const fields = { validCount, deliveredCount, readCount, recalled, recallCount, takenAt, askedBy };
    await this.funnels.record(p.batchId, takenAt, fields);
  }

  async series(batchId: string, now: number): Promise<Progress[]> {
    const members = await this.funnels.latest(batchId, now);
    return members.map((m) => ({ batchId, ...memberSchema.parse(JSON.parse(m)) }));
  }
}
