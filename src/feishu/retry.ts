/**
 * Retrying what is worth retrying: rate limits (honouring Feishu's reset
 * time), 5xx, timeouts and connection errors — with capped exponential
 * backoff and jitter, at most 3 attempts and about 20 s of retrying. An invalid
 * token is retried once, after dropping the cached token. Everything else
 * (the documented 2300xx errors, missing scopes) fails at once.
 */
import { toBotError } from './toBotError.js';
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

export function isRetryable(e: BotError): boolean {
  if (e.code === 'timeout' || e.code === 'network') return true;
  if (e.httpStatus !== undefined && (e.httpStatus >= 500 || e.httpStatus === 429)) return true;
  return e.feishuCode !== undefined && RATE_LIMITED.has(e.feishuCode);
}

/** Backoff before attempt `attempt + 1` (attempts count from 1). Pure; `random` in [0, 1). */
export function backoffMs(e: BotError, attempt: number, random: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = ceiling / 2 + (random * ceiling) / 2;
  return Math.max(jittered, e.retryAfterMs ?? 0);
}

export interface RetryOptions {
  clock: Clock;
  random?: () => number;
  policy?: RetryPolicy;
  /** Called before the one retry of an invalid-token failure. */
  onInvalidToken?: () => void;
  onRetry?: (e: BotError, attempt: number, delayMs: number) => void;
}

export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { clock, policy = DEFAULT_RETRY, random = Math.random } = options;
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
      if (!isRetryable(e) || attempt >= policy.maxAttempts) throw e;
      const delay = backoffMs(e, attempt, random(), policy);
      if (clock.now() - firstFailure + delay > policy.budgetMs) throw e;
      options.onRetry?.(e, attempt, delay);
      await clock.sleep(delay);
    }
  }
}
