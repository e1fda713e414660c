/**
 * Watches in Redis: a hash per watch and a set of the active ones. Each watch
 * is driven by one replica at a time, the holder of its lock: a key with an
 * expiry that the driver renews on every pass of its loop. When a replica
 * dies its locks run out, and the next replica to look takes its watches.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { WatchBook } from '../sharedState.js';
import { luaScript, PREFIX, reach } from './connect.js';
import { randomUUID } from 'node:crypto';
import { BotError } from '../../domain/errors.js';
import { watchRefusal } from '../../domain/rules.js';
import type { Watch, WatchEnd, WatchRefusal } from '../../domain/types.js';

/** A watch whose driver has not renewed its lock for this long is taken over. */
export const WATCH_LOCK_MS = 30_000;
/** The driver renews its locks at least this often. */
const DRIVE_EVERY_MS = 10_000;
/** Feishu lets a card be updated for 14 days: an ended watch older than that has nothing left to show. */
const KEEP_ENDED_MS = 14 * 24 * 60 * 60 * 1000;

const ACTIVE = `${PREFIX}watches:active`;
const RESERVE_LOCK = `${PREFIX}watches:reserve-lock`;
const RESERVE_LOCK_MS = 5_000;
const RESERVE_POLL_MS = 20;
const watchKey = (id: string) => `${PREFIX}watch:${id}`;
const lockKey = (id: string) => `${PREFIX}watch-lock:${id}`;

const RESCHEDULE = `if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('HEXISTS', KEYS[1], 'endedReason') == 0 then
  redis.call('HSET', KEYS[1], 'nextAt', ARGV[1])
end
return 0`;

const END = `if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'endedReason') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'endedReason', ARGV[1], 'endedAt', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'endedBy', ARGV[3]) end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('SREM', KEYS[2], ARGV[5])
redis.call('DEL', KEYS[3])
return 1`;

// Keeps the locks this replica holds and takes the free ones; answers the indexes (from 1) of those it holds.
const DRIVE = `local held = {}
for i, k in ipairs(KEYS) do
  local holder = redis.call('GET', k)
  if holder == ARGV[1] then
    redis.call('PEXPIRE', k, ARGV[2])
    table.insert(held, i)
  elseif not holder then
    redis.call('SET', k, ARGV[1], 'PX', ARGV[2])
    table.insert(held, i)
  end
end
return held`;

const LET_GO = `for _, k in ipairs(KEYS) do
  if redis.call('GET', k) == ARGV[1] then redis.call('DEL', k) end
end
return 0`;

const int = z.coerce.number().int();
const watchSchema = z.object({
  id: z.string(),
  batchId: z.string(),
  chatId: z.string(),
  cardMessageId: z.string(),
  startedBy: z.string(),
  startedAt: int,
  until: int,
  intervalMs: int,
  nextAt: int,
  endedReason: z.enum(['all_read', 'time_up', 'stopped', 'failed']).optional(),
  endedBy: z.string().optional(),
  endedAt: int.optional(),
});

export class RedisWatches implements WatchBook {
  readonly driveEveryMs = DRIVE_EVERY_MS;
  /** The watches this replica drove at its last look. */
  private mine: string[] = [];
  private readonly scripts;

  constructor(
    private readonly redis: Redis,
    private readonly replica: string,
  ) {
    this.scripts = {
      reschedule: luaScript(redis, RESCHEDULE),
      end: luaScript(redis, END),
      drive: luaScript(redis, DRIVE),
      letGo: luaScript(redis, LET_GO),
    };
  }

  async add(w: Watch): Promise<void> {
    const fields = Object.entries(w).filter((e): e is [string, string | number] => e[1] !== undefined);
    const key = watchKey(w.id);
    await reach(this.redis.multi().del(key).hset(key, Object.fromEntries(fields)).sadd(ACTIVE, w.id).exec());
  }

  /**
   * The caps are checked and the watch added under a short lock, so two
   * replicas cannot both take the last place; a replica that dies holding it
   * lets it go when it expires.
   */
  async reserve(w: Watch): Promise<WatchRefusal | undefined> {
    const token = `${this.replica}:${randomUUID()}`;
    for (
      let tries = 0;
      (await reach(this.redis.set(RESERVE_LOCK, token, 'PX', RESERVE_LOCK_MS, 'NX'))) !== 'OK';
      tries++
    ) {
      if (tries * RESERVE_POLL_MS > RESERVE_LOCK_MS)
        throw new BotError('unavailable', 'the watch reservation lock stays taken');
      await new Promise((resolve) => setTimeout(resolve, RESERVE_POLL_MS));
    }
    try {
      const refusal = watchRefusal(await this.active(), w);
      if (!refusal) await this.add(w);
      return refusal;
    } finally {
      await this.scripts.letGo([RESERVE_LOCK], [token]).catch(() => undefined); // it expires by itself
    }
  }

  async attach(id: string, cardMessageId: string): Promise<void> {
    await reach(this.redis.hset(watchKey(id), 'cardMessageId', cardMessageId));
  }

  async get(id: string): Promise<Watch | undefined> {
    const fields = await reach(this.redis.hgetall(watchKey(id)));
    return Object.keys(fields).length > 0 ? watchSchema.parse(fields) : undefined;
  }

  async active(): Promise<Watch[]> {
    const ids = await reach(this.redis.smembers(ACTIVE));
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(watchKey(id));
    const results = (await reach(pipeline.exec())) ?? [];
    return results
      .map(([error, fields]) =>
        error || !fields || Object.keys(fields).length === 0 ? undefined : watchSchema.parse(fields),
      )
      .filter((w): w is Watch => w !== undefined && w.endedReason === undefined)
      .sort((a, b) => a.nextAt - b.nextAt);
  }

  async reschedule(id: string, nextAt: number): Promise<void> {
    await reach(this.scripts.reschedule([watchKey(id)], [nextAt]));
  }

  async end(id: string, reason: WatchEnd, at: number, by?: string): Promise<boolean> {
    return (
      (await reach(
        this.scripts.end([watchKey(id), ACTIVE, lockKey(id)], [reason, at, by ?? '', KEEP_ENDED_MS, id]),
      )) === 1
    );
  }

  async drive(ids: readonly string[]): Promise<Set<string>> {
    const held =
      ids.length === 0
        ? []
        : z.array(z.number()).parse(await reach(this.scripts.drive(ids.map(lockKey), [this.replica, WATCH_LOCK_MS])));
    this.mine = held.map((i) => ids[i - 1]!);
    return new Set(this.mine);
  }

  async letGo(): Promise<void> {
    const mine = this.mine;
    this.mine = [];
    if (mine.length > 0) await reach(this.scripts.letGo(mine.map(lockKey), [this.replica]));
  }
}
