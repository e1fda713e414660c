/**
 * Retrying what is worth retrying: rate limits (honouring Feishu's reset
 * time), 5xx, timeouts and connection errors — with capped exponential
 * backoff and jitter, at most 3 attempts and about 20 s of retrying. An invalid
 * token is retried once, after dropping the cached token. Everything else
 * (the documented 2300xx errors, missing scopes) fails at once.
 *
 * A call that is still failing then is transient, not final: a command keeps
 * it in the journal and tries again later, on COMMAND_WAIT's longer backoff.
 *
 * A call that is not idempotent (a batch send: Feishu takes no key to
 * de-duplicate it) retries only what surely did not reach Feishu.
 */
import { toBotError } from './api/toBotError.js';
import type { Clock } from '../domain/clock.js';
import { BotError } from '../domain/errors.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** No attempt starts later than this after the first one. */
  budgetMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 8_000, budgetMs: 20_000 };

const RATE_LIMITED = new Set([99991400, 230020]);
export const INVALID_TOKEN = 99991663;
/**
 * The one status a gateway answers with instead of passing the request on.
 * A 502 or 504 may come after the request reached Feishu.
 */
const TURNED_AWAY = 503;

export function isRetryable(e: BotError): boolean {
  return isOutage(e) || isRateLimited(e);
}

function isRateLimited(e: BotError): boolean {
  return e.httpStatus === 429 || (e.feishuCode !== undefined && RATE_LIMITED.has(e.feishuCode));
}

/**
 * Feishu surely did not take the request, and trying again may succeed: the
 * breaker was open (nothing was sent), a rate limit, a 503 (turned away), an
 * invalid token. Not a timeout, a network error, another 5xx or an answer we
 * could not read: the request may have been taken. A refusal with a Feishu
 * code is false too: it is final, and trying again would change nothing.
 */
export function surelyNotSent(e: BotError): boolean {
  if (e.code === 'feishu_unavailable' || e.feishuCode === INVALID_TOKEN || isRateLimited(e)) return true;
  return e.httpStatus === TURNED_AWAY;
}

/** Feishu did not answer, or answered that it is failing (5xx, a token request included): the kind of failure an outage is. */
export function isOutage(e: BotError): boolean {
  return e.code === 'timeout' || e.code === 'network' || (e.httpStatus !== undefined && e.httpStatus >= 500);
}

/** Worth trying again later, however long it takes: never a reason to end a command. */
export function isTransient(e: BotError): boolean {
  return isRetryable(e) || e.code === 'feishu_unavailable';
}

/** How a command that found Feishu unavailable waits: about 5 s, doubling to 5 min, for at most an hour (the reply uuid's). */
export const COMMAND_WAIT = { baseDelayMs: 5_000, maxDelayMs: 5 * 60_000, maxAgeMs: 60 * 60_000 };

type Growth = Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>;

/** `baseDelayMs` doubling with each attempt (from 1) up to `maxDelayMs`, jittered to 50–100 %. Pure; `random` in [0, 1). */
export function jitteredMs(attempt: number, random: number, growth: Growth): number {
  const ceiling = Math.min(growth.maxDelayMs, growth.baseDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + (random * ceiling) / 2;
}

/** Backoff before attempt `attempt + 1` (attempts count from 1), never shorter than Feishu's reset time. Pure. */
export function backoffMs(e: BotError, attempt: number, random: number, growth: Growth): number {
  return Math.max(jitteredMs(attempt, random, growth), e.retryAfterMs ?? 0);
}

export interface RetryOptions {
  clock: Clock;
  random?: () => number;
  policy?: RetryPolicy;
  /** Called before the one retry of an invalid-token failure. */
  onInvalidToken?: () => void;
  /** Which failures are tried again (isRetryable by default); an invalid token is, once, whatever this says. */
  retryable?: (e: BotError) => boolean;
  onRetry?: (e: BotError, attempt: number, delayMs: number) => void;
}

export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { clock, policy = DEFAULT_RETRY, random = Math.random, retryable = isRetryable } = options;
  // The budget counts from the first failure: time spent waiting for a throttle slot is not retrying.
  let firstFailure: number | undefined;
  let tokenRetried = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (thrown) {
      const e = toBotError(thrown);
      firstFailure ??= clock.now();
      if (e.feishuCode === INVALID_TOKEN && !tokenRetried && options.onInvalidToken) {
        tokenRetried = true;
        options.onInvalidToken();
        options.onRetry?.(e, attempt, 0);
        continue;
      }
      if (!retryable(e) || attempt >= policy.maxAttempts) throw e;
      const delay = backoffMs(e, attempt, random(), policy);
      if (clock.now() - firstFailure + delay > policy.budgetMs) throw e;
      options.onRetry?.(e, attempt, delay);
      await clock.sleep(delay);
    }
  }
}
