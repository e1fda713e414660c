/**
 * Per-key rates that answer at once (go ahead, or how long to wait): one
 * person's commands a minute, one person's button presses. Counted where the
 * shared state lives, so with several replicas a person gets the same limit
 * whichever replica their events reach.
 */
import type { Clock } from '../domain/clock.js';
import type { Budgets } from './budget.js';
import { KeyedRateLimit, type RateDecision } from './keyedRateLimit.js';
import type { WindowLimit } from '../domain/limits.js';

export interface Rates {
  /** Counts the attempt when allowed. */
  take(key: string, limit: WindowLimit): Promise<RateDecision>;
}

/** In this process. */
export function localRates(clock: Clock): Rates {
  const byLimit = new Map<string, KeyedRateLimit>();
  return {
    async take(key, limit) {
      const name = `${limit.windowMs}/${limit.max}`;
      let rate = byLimit.get(name);
      if (!rate) byLimit.set(name, (rate = new KeyedRateLimit(limit)));
      return rate.take(key, clock.now());
    },
  };
}

/** On shared budgets (Redis): a slot taken and given back at once counts one attempt for one window. */
export function budgetRates(budgets: Budgets): Rates {
  return {
    async take(key, limit) {
      const slot = await budgets(`rate:${key}`, [limit]).take();
      if (typeof slot === 'number') return { allowed: false, retryAfterMs: slot };
      slot.release(0);
      return { allowed: true };
    },
  };
}
