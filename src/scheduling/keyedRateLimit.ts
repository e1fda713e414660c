/**
 * A per-key rate (e.g. 10 commands a minute per user): the same sliding-window
 * arithmetic as the throttle, but it answers at once — go ahead, or how long
 * to wait — instead of queueing.
 */
import type { WindowLimit } from '../domain/limits.js';
import { SlidingWindowLog } from './slidingWindow.js';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export class KeyedRateLimit {
  private readonly logs = new Map<string, SlidingWindowLog>();
  /** Shared by every key's log: one array, not one per person. */
  private readonly limits: readonly WindowLimit[];
  private lastSweep = 0;

  constructor(
    limit: WindowLimit,
    private readonly sweepEveryMs = 60_000,
  ) {
    this.limits = [limit];
  }

  /** Counts the attempt when allowed. */
  take(key: string, now: number): RateDecision {
    this.sweep(now);
    let log = this.logs.get(key);
    if (!log) this.logs.set(key, (log = new SlidingWindowLog(this.limits)));
    const delay = log.delayUntilAdmissible(now);
    if (delay > 0) return { allowed: false, retryAfterMs: delay };
    log.admit();
    log.complete(now);
    return { allowed: true };
  }

  get size(): number {
    return this.logs.size;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.sweepEveryMs) return;
    this.lastSweep = now;
    for (const [key, log] of this.logs) if (log.isIdle(now)) this.logs.delete(key);
  }
}
