/**
 * A time series per batch id in Redis, one sorted set each, scored by when
 * each member was taken and kept like the embedded store keeps its series:
 * at least HISTORY_STEP_MS apart and the latest, for HISTORY_KEEP_MS, in one
 * script. Members are JSON; the snapshot history and the delivery funnels
 * are two such series.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { HISTORY_KEEP_MS, HISTORY_STEP_MS, SERIES_LATEST } from '../../domain/rules.js';
import { luaScript, PREFIX, reach, type Script } from './connect.js';

/** ARGV: takenAt, member, the step, how long to keep. */
const RECORD_IN_SERIES = `
local at = tonumber(ARGV[1])
local last = redis.call('ZREVRANGE', KEYS[1], 0, 1, 'WITHSCORES')
if #last == 4 and tonumber(last[2]) - tonumber(last[4]) < tonumber(ARGV[3]) then redis.call('ZREM', KEYS[1], last[1]) end
redis.call('ZADD', KEYS[1], at, ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', at - tonumber(ARGV[4]))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 0`;

export class RedisSeries {
  private readonly recordScript: Script;

  /** `name`: the series' part of each key (`history`, `progress`). */
  constructor(
    private readonly redis: Redis,
    private readonly name: string,
  ) {
    this.recordScript = luaScript(redis, RECORD_IN_SERIES);
  }

  /** `fields` as a member, with a nonce that keeps two equal ones (same counts, same millisecond) apart. */
  async record(batchId: string, takenAt: number, fields: object): Promise<void> {
    const member = JSON.stringify({ ...fields, n: randomBytes(4).toString('hex') });
    await reach(this.recordScript([this.key(batchId)], [takenAt, member, HISTORY_STEP_MS, HISTORY_KEEP_MS]));
  }

  /** The latest SERIES_LATEST members still kept at `now`, oldest first. */
  async latest(batchId: string, now: number): Promise<string[]> {
    const newestFirst = await reach(
      this.redis.zrevrangebyscore(this.key(batchId), '+inf', now - HISTORY_KEEP_MS, 'LIMIT', 0, SERIES_LATEST),
    );
    return newestFirst.reverse();
  }

  /** The earliest member still kept at `now`, if any. */
  async first(batchId: string, now: number): Promise<string | undefined> {
    const [first] = await reach(
      this.redis.zrangebyscore(this.key(batchId), now - HISTORY_KEEP_MS, '+inf', 'LIMIT', 0, 1),
    );
    return first;
  }

  private key(batchId: string): string {
    return `${PREFIX}${this.name}:${batchId}`;
  }
}
