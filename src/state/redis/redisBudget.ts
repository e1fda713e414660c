/**
 * A rate budget shared by every replica: the sliding-window log of
 * slidingWindow.ts as a sorted set in Redis, one member per call. Admitted,
 * a call's member is scored with a deadline far enough ahead (the call's
 * timeout plus a margin), so a replica dying mid-call cannot hold the slot
 * for ever; completed, it is scored with its completion time and counts one
 * more window from then. Times are the Redis server's, so replicas agree.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Budget, Budgets, Slot } from '../../scheduling/budget.js';
import { IN_TRANSIT_MS } from '../../domain/limits.js';
import type { WindowLimit } from '../../domain/limits.js';
import { LUA_NOW, luaScript, PREFIX, reach, type Script } from './connect.js';

/** While calls in flight (on any replica) fill the window, look again this often. */
const POLL_MS = 25;
/** What a call does in its slot besides the HTTP request (building a card, a Redis read), at the most. */
const LOCAL_WORK_MS = 5_000;

// ARGV: member, hold, ttl, then window and max pairs. Answers 0 (admitted), the wait in ms, or -1 (full of calls in flight).
const TAKE = `${LUA_NOW}
local widest = 0
for i = 4, #ARGV, 2 do widest = math.max(widest, tonumber(ARGV[i])) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - widest)
local wait = 0
for i = 4, #ARGV, 2 do
  local window = tonumber(ARGV[i])
  local max = tonumber(ARGV[i + 1])
  local n = redis.call('ZCOUNT', KEYS[1], '(' .. (now - window), '+inf')
  if n >= max then
    local first = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - window), '+inf', 'WITHSCORES', 'LIMIT', n - max, 1)
    local score = tonumber(first[2])
    if score > now then return -1 end
    wait = math.max(wait, score + window - now)
  end
end
if wait > 0 then return wait end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 0`;

const RELEASE = `${LUA_NOW}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 0`;

class RedisBudget implements Budget {
  private held = 0;
  private readonly ttlMs: number;

  constructor(
    private readonly key: string,
    private readonly limits: readonly WindowLimit[],
    private readonly holdMs: number,
    private readonly scripts: { take: Script; release: Script },
    private readonly nextMember: () => string,
  ) {
    this.ttlMs = Math.max(...limits.map((l) => l.windowMs)) + holdMs;
  }

  /** With a share of the limits (bulk work), the reserve is left for every replica's people at once. */
  async take(limits = this.limits): Promise<Slot | number> {
    const member = this.nextMember();
    const limitArgs = limits.flatMap((l) => [l.windowMs, l.max]);
    const wait = z
      .number()
      .parse(await reach(this.scripts.take([this.key], [member, this.holdMs, this.ttlMs, ...limitArgs])));
    if (wait !== 0) return wait < 0 ? POLL_MS : wait;
    this.held++;
    return {
      release: (extraHoldMs) => {
        this.held--;
        // Unreachable: the member keeps its deadline, which only counts it longer than needed.
        void this.scripts.release([this.key], [member, extraHoldMs, this.ttlMs]).catch(() => undefined);
      },
    };
  }

  isIdle(): boolean {
    return this.held === 0;
  }
}

/** `callTimeoutMs`: Feishu calls give up after this long; a slot is held at most that long, plus margins, before its call completes. */
export function redisBudgets(redis: Redis, replica: string, callTimeoutMs: number): Budgets {
  const callHoldMs = callTimeoutMs + IN_TRANSIT_MS + LOCAL_WORK_MS;
  const scripts = { take: luaScript(redis, TAKE), release: luaScript(redis, RELEASE) };
  let count = 0;
  const nextMember = () => `${replica}:${++count}`;
  return (name, limits) => new RedisBudget(`${PREFIX}window:${name}`, limits, callHoldMs, scripts, nextMember);
}
