/**
 * The one Redis connection of a replica, set to fail fast: no offline queue,
 * one retry, a command timeout. While Redis is out of reach, calls reject at
 * once (as BotError 'unavailable', through `reach`) instead of piling up, and
 * the client keeps reconnecting in the background.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { BotError } from '../../domain/errors.js';

const COMMAND_TIMEOUT_MS = 2_000;
const CONNECT_TIMEOUT_MS = 2_000;
const MAX_RECONNECT_DELAY_MS = 2_000;

/** Every key the bot writes starts with this. */
export const PREFIX = 'reads:';

export function connectRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
  });
  let up = false;
  redis.on('ready', () => {
    up = true;
    logger.info('connected to Redis');
  });
  // Without a listener an 'error' event would end the process; log each outage once.
  redis.on('error', (e: Error) => {
    if (!up) return;
    up = false;
    logger.error({ err_msg: e.message }, 'lost Redis; events get 503 until it is back');
  });
  return redis;
}

/** Names this process among the replicas (journal owner, watch driver, rate-limit slots). */
export function replicaId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** A Redis call whose failure means the shared state is out of reach for now. */
export async function reach<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (e) {
    throw new BotError(
      'unavailable',
      `shared state (Redis) out of reach: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
}

export type Script = (keys: readonly string[], args: ReadonlyArray<string | number>) => Promise<unknown>;

/** A Lua script run by its hash, loaded on first use (and again after a Redis restart forgot it). */
export function luaScript(redis: Redis, lua: string): Script {
  const sha = createHash('sha1').update(lua).digest('hex');
  return async (keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (e) {
      if (!(e instanceof Error && e.message.startsWith('NOSCRIPT'))) throw e;
      return redis.eval(lua, keys.length, ...keys, ...args);
    }
  };
}

/** Lua: the Redis server's clock in ms, the one clock every replica agrees on. */
export const LUA_NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
