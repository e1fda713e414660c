/** Snapshot history in Redis: a sorted set per batch id, scored by when the snapshot was taken, kept 30 days. */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { HistoryLog } from '../shared/sharedState.js';
import { HISTORY_DAYS } from '../store/history.js';
import { PREFIX, reach } from './connect.js';
import type { Snapshot } from '../domain/types.js';

const KEEP_MS = HISTORY_DAYS * 24 * 60 * 60 * 1000;

const memberSchema = z.object({ readCount: z.number(), totalCount: z.number(), takenAt: z.number() });

const key = (batchId: string) => `${PREFIX}history:${batchId}`;

export class RedisHistory implements HistoryLog {
  constructor(private readonly redis: Redis) {}

  async record(s: Snapshot, askedBy?: string): Promise<void> {
    // The nonce keeps two equal snapshots (same counts, same millisecond) apart.
    const member = JSON.stringify({
      readCount: s.readCount,
      totalCount: s.totalCount,
      takenAt: s.takenAt,
      askedBy,
      n: randomBytes(4).toString('hex'),
    });
    const k = key(s.batchId);
    await reach(
      this.redis
        .multi()
        .zadd(k, s.takenAt, member)
        .zremrangebyscore(k, '-inf', s.takenAt - KEEP_MS)
        .pexpire(k, KEEP_MS)
        .exec(),
    );
  }

  async series(batchId: string, now: number): Promise<Snapshot[]> {
    const members = await reach(this.redis.zrangebyscore(key(batchId), now - KEEP_MS, '+inf'));
    return members.map((m) => ({ batchId, ...memberSchema.parse(JSON.parse(m)) }));
  }
}
