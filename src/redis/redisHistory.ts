/**
 * Snapshot history in Redis: a sorted set per batch id, scored by when the
 * snapshot was taken, kept 30 days, at least a minute apart and the latest
 * (see HISTORY_STEP_MS; in one script); read back as the first and the
 * latest SERIES_LATEST.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { HistoryLog } from '../shared/sharedState.js';
import { HISTORY_KEEP_MS, HISTORY_STEP_MS, SERIES_LATEST } from '../domain/rules.js';
import type { Snapshot } from '../domain/types.js';
import { luaScript, PREFIX, reach, type Script } from './connect.js';

/** Records a member of a time series: at least the step apart and the latest, kept so long. ARGV: takenAt, member, the step, how long to keep. */
export const RECORD_IN_SERIES = `
local at = tonumber(ARGV[1])
local last = redis.call('ZREVRANGE', KEYS[1], 0, 1, 'WITHSCORES')
if #last == 4 and tonumber(last[2]) - tonumber(last[4]) < tonumber(ARGV[3]) then redis.call('ZREM', KEYS[1], last[1]) end
redis.call('ZADD', KEYS[1], at, ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', at - tonumber(ARGV[4]))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 0`;

const memberSchema = z.object({ readCount: z.number(), totalCount: z.number(), takenAt: z.number() });

const key = (batchId: string) => `${PREFIX}history:${batchId}`;

export class RedisHistory implements HistoryLog {
  private readonly recordScript: Script;

  constructor(private readonly redis: Redis) {
    this.recordScript = luaScript(redis, RECORD_IN_SERIES);
  }

  async record(s: Snapshot, askedBy?: string): Promise<void> {
    // The nonce keeps two equal snapshots (same counts, same millisecond) apart.
    const member = JSON.stringify({
      readCount: s.readCount,
      totalCount: s.totalCount,
      takenAt: s.takenAt,
      askedBy,
      n: randomBytes(4).toString('hex'),
    });
    await reach(this.recordScript([key(s.batchId)], [s.takenAt, member, HISTORY_STEP_MS, HISTORY_KEEP_MS]));
  }

  async series(batchId: string, now: number): Promise<Snapshot[]> {
    const k = key(batchId);
    const since = now - HISTORY_KEEP_MS;
    const [first, latest] = await reach(
      Promise.all([
        this.redis.zrangebyscore(k, since, '+inf', 'LIMIT', 0, 1),
        this.redis.zrevrangebyscore(k, '+inf', since, 'LIMIT', 0, SERIES_LATEST),
      ]),
    );
    const members = latest.reverse();
    if (first[0] !== undefined && !members.includes(first[0])) members.unshift(first[0]);
    return members.map((m) => ({ batchId, ...memberSchema.parse(JSON.parse(m)) }));
  }
}
