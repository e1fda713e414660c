/**
 * Snapshot history in Redis: a series per batch id (see redisSeries.ts), read
 * back as the first and the latest SERIES_LATEST.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { HistoryLog } from '../sharedState.js';
import type { Snapshot } from '../../domain/types.js';
import { RedisSeries } from './redisSeries.js';

const memberSchema = z.object({ readCount: z.number(), totalCount: z.number(), takenAt: z.number() });

export class RedisHistory implements HistoryLog {
  private readonly snapshots: RedisSeries;

  constructor(redis: Redis) {
    this.snapshots = new RedisSeries(redis, 'history');
  }

  async record(s: Snapshot, askedBy?: string): Promise<void> {
    const { readCount, totalCount, takenAt } = s;
    await this.snapshots.record(s.batchId, takenAt, { readCount, totalCount, takenAt, askedBy });
  }

  async series(batchId: string, now: number): Promise<Snapshot[]> {
    const [first, members] = await Promise.all([
      this.snapshots.first(batchId, now),
      this.snapshots.latest(batchId, now),
    ]);
    if (first !== undefined && !members.includes(first)) members.unshift(first);
    return members.map((m) => ({ batchId, ...memberSchema.parse(JSON.parse(m)) }));
  }
}
