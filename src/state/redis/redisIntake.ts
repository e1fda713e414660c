/**
 * Seen events and the journal in Redis. Accepting is one Lua script: the
 * event is either unseen and journaled, or seen — never seen-but-lost. Each
 * journaled command has an owner replica and a lease the owner renews while
 * it works on it; a command whose lease ran out (its replica died, or let it
 * go) is claimed, atomically, by whichever replica asks first.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Intake } from '../sharedState.js';
import { LUA_NOW, luaScript, PREFIX, reach } from './connect.js';
import type { JournalEntry } from '../../domain/types.js';
import { mentionsSchema, waitFieldsSchema } from '../sqlite/store.js';

/** How long a command stays its owner's without a renewal; renewed every third of it. */
export const LEASE_MS = 30_000;
const RENEW_EVERY_MS = LEASE_MS / 3;
/** Commands claimed at once. */
const CLAIM_BATCH = 500;

const JOURNAL = `${PREFIX}journal`;
const LEASES = `${PREFIX}journal:leases`;
const OWNERS = `${PREFIX}journal:owners`;

const ACCEPT = `${LUA_NOW}
for i = 4, #KEYS do if redis.call('EXISTS', KEYS[i]) == 1 then return 0 end end
for i = 4, #KEYS do redis.call('SET', KEYS[i], '1', 'PX', ARGV[1]) end
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[1], ARGV[4], ARGV[5])
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[4])
  redis.call('HSET', KEYS[3], ARGV[4], ARGV[3])
end
return 1`;

const CLAIM = `${LUA_NOW}
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local entry = redis.call('HGET', KEYS[1], id)
  if entry then
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), id)
    redis.call('HSET', KEYS[3], id, ARGV[1])
    table.insert(out, entry)
  else
    redis.call('ZREM', KEYS[2], id)
    redis.call('HDEL', KEYS[3], id)
  end
end
return out`;

// Only the owner renews or lets go: a replica that lost a command to another must not take it back.
const RENEW = `${LUA_NOW}
for i = 3, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[1] then redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[i]) end
end
return 0`;

const LET_GO = `for i = 2, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[1] then redis.call('ZADD', KEYS[1], 'XX', 0, ARGV[i]) end
end
return 0`;

const entrySchema = waitFieldsSchema.extend({
  messageId: z.string(),
  eventId: z.string(),
  chatId: z.string(),
  chatType: z.string(),
  senderOpenId: z.string().optional(),
  senderUserId: z.string().optional(),
  text: z.string().optional(),
  acceptedAt: z.number(),
  mentions: mentionsSchema.optional(),
});

// Rewritten only while journaled: an entry answered meanwhile stays forgotten.
const WAIT = `if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 0`;

export class RedisIntake implements Intake {
  /** Commands this replica answers, whose leases it renews. */
  private readonly held = new Set<string>();
  private readonly timer: NodeJS.Timeout;
  private readonly scripts;

  constructor(
    private readonly redis: Redis,
    private readonly replica: string,
    private readonly seenTtlMs: number,
  ) {
    this.scripts = {
      accept: luaScript(redis, ACCEPT),
      claim: luaScript(redis, CLAIM),
      renew: luaScript(redis, RENEW),
      letGo: luaScript(redis, LET_GO),
      wait: luaScript(redis, WAIT),
    };
    // Unreachable: the leases run out and the commands go to whoever claims them once Redis is back.
    this.timer = setInterval(() => void this.renew().catch(() => undefined), RENEW_EVERY_MS);
    this.timer.unref();
  }

  async accept(keys: readonly string[], entry?: JournalEntry): Promise<boolean> {
    const seen = keys.map((k) => `${PREFIX}seen:${k}`);
    const args = [this.seenTtlMs, LEASE_MS, this.replica, entry?.messageId ?? '', entry ? JSON.stringify(entry) : ''];
    const accepted = (await reach(this.scripts.accept([JOURNAL, LEASES, OWNERS, ...seen], args))) === 1;
    if (accepted && entry) this.held.add(entry.messageId);
    return accepted;
  }

  async complete(messageId: string): Promise<void> {
    this.held.delete(messageId);
    await reach(this.redis.multi().hdel(JOURNAL, messageId).zrem(LEASES, messageId).hdel(OWNERS, messageId).exec());
  }

  async wait(entry: JournalEntry): Promise<void> {
    await reach(this.scripts.wait([JOURNAL], [entry.messageId, JSON.stringify(entry)]));
  }

  async claim(): Promise<JournalEntry[]> {
    const raw = z
      .array(z.string())
      .parse(await reach(this.scripts.claim([JOURNAL, LEASES, OWNERS], [this.replica, LEASE_MS, CLAIM_BATCH])));
    const entries = raw.map((json) => entrySchema.parse(JSON.parse(json)));
    for (const e of entries) this.held.add(e.messageId);
    return entries.sort((a, b) => a.acceptedAt - b.acceptedAt);
  }

  async release(messageId: string): Promise<void> {
    this.held.delete(messageId);
    await reach(this.scripts.letGo([LEASES, OWNERS], [this.replica, messageId]));
  }

  /** Lets every command held here go at once (shutting down), so another replica answers it without waiting for the lease. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    const ids = [...this.held];
    this.held.clear();
    if (ids.length > 0) await reach(this.scripts.letGo([LEASES, OWNERS], [this.replica, ...ids]));
  }

  private async renew(): Promise<void> {
    if (this.held.size > 0) await this.scripts.renew([LEASES, OWNERS], [this.replica, LEASE_MS, ...this.held]);
  }
}
