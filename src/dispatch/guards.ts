/**
 * The checks every way in passes before the bot acts for someone — a typed
 * command, a button press, a card sent one-to-one — asked the same way: the
 * person's rate (domain/limits.ts), then the access policy. Each caller
 * turns the answer into what it can say: a refusal card, a toast, nothing.
 * Commands also pass the queue's caps (scheduling/admissions.ts).
 */
import { type QueueLimits, personRateOf, type PersonRate } from '../domain/limits.js';
import type { BotError } from '../domain/errors.js';
import { isTransient } from '../feishu/retry.js';
import type { RateDecision } from '../scheduling/keyedRateLimit.js';
import type { Rates } from '../scheduling/rates.js';
import type { AccessControl, AccessDecision, Requester } from './access.js';

export type AccessVerdict =
  | { kind: 'allowed' }
  | { kind: 'refused'; reason: Extract<AccessDecision, { allowed: false }>['reason']; error?: BotError }
  /** Feishu could not answer the check (it is unavailable): no refusal; ask again once it is back. */
  | { kind: 'unreachable'; error: BotError };

export interface GuardsDeps {
  access: AccessControl;
  /** Where per-person rates are counted: here, or for every replica. */
  rates: Rates;
  limits: QueueLimits;
}

export class Guards {
  constructor(private readonly deps: GuardsDeps) {}

  /** Counts an attempt against the person's rate of `kind`; says the limit, for the card that refuses. */
  async rate(kind: PersonRate, personKey: string): Promise<RateDecision & { perMinute: number }> {
    const { key, limit, perMinute } = personRateOf(kind, personKey, this.deps.limits);
    return { ...(await this.deps.rates.take(key, limit)), perMinute };
  }

  async access(who: Requester): Promise<AccessVerdict> {
    const decision = await this.deps.access.check(who);
    if (decision.allowed) return { kind: 'allowed' };
    const error = 'error' in decision ? decision.error : undefined;
    if (error && isTransient(error)) return { kind: 'unreachable', error };
    return { kind: 'refused', reason: decision.reason, error };
  }
}
