/** The shared state of several replicas, in Redis (REDIS_URL). */
import type { Logger } from 'pino';
import type { SharedState } from '../sharedState.js';
import { connectRedis, replicaId } from './connect.js';
import { redisBudgets } from './redisBudget.js';
import { RedisCalls } from './redisCalls.js';
import { RedisGreetings } from './redisGreetings.js';
import { RedisHistory } from './redisHistory.js';
import { RedisProgress } from './redisProgress.js';
import { RedisIntake } from './redisIntake.js';
import { RedisSends } from './redisSends.js';
import { RedisWatches } from './redisWatches.js';
import type { Clock } from '../../domain/clock.js';
import { budgetRates } from '../../scheduling/rates.js';

export interface RedisStateOptions {
  url: string;
  clock: Clock;
  logger: Logger;
  /** How long a seen event is remembered. */
  seenTtlMs: number;
  freshMs: number;
  /** Feishu calls give up after this long (FEISHU_HTTP_TIMEOUT_MS). */
  callTimeoutMs: number;
}

export function redisState(o: RedisStateOptions): SharedState {
  const redis = connectRedis(o.url, o.logger);
  const replica = replicaId();
  const intake = new RedisIntake(redis, replica, o.seenTtlMs);
  let open = true;
  const budgets = redisBudgets(redis, replica, o.callTimeoutMs);
  o.logger.info({ replica }, 'shared state in Redis');
  return {
    intake,
    history: new RedisHistory(redis),
    progress: new RedisProgress(redis),
    greetings: new RedisGreetings(redis),
    watches: new RedisWatches(redis, replica),
    sends: new RedisSends(redis),
    calls: new RedisCalls(redis, o.clock, o.freshMs),
    budgets,
    rates: budgetRates(budgets),
    checks: () => ({ redis: redis.status === 'ready' }),
    isOpen: () => open,
    async close() {
      open = false;
      await intake.close().catch(() => undefined); // unreachable: the leases run out by themselves
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
