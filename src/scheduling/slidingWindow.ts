/**
 * Sliding-window admission arithmetic. Pure: the caller passes the time.
 *
 * Feishu counts a call when it arrives, somewhere between the moment we send
 * it and the moment its answer comes back. So a call holds its slot from the
 * moment it is admitted until `windowMs` after it completed. Then any two
 * calls Feishu could see within one window were both holding slots at the
 * moment the later one was admitted, and no window ever holds more than `max`.
 */
import type { WindowLimit } from '../domain/limits.js';
import { pushOnto } from './arrays.js';

export class SlidingWindowLog {
  private inFlight = 0;
  /** Completion times, ascending; only those still inside the widest window. */
  private completions: number[] = [];
  private readonly widestMs: number;

  constructor(readonly limits: readonly WindowLimit[]) {
    if (limits.length === 0) throw new Error('at least one window limit is needed');
    for (const l of limits) {
      if (!(l.windowMs > 0 && Number.isInteger(l.max) && l.max > 0))
        throw new Error(`invalid window limit ${JSON.stringify(l)}`);
    }
    this.widestMs = Math.max(...limits.map((l) => l.windowMs));
  }

  /**
   * How long until one more call may start: 0 = now, Infinity = only when a
   * call in flight completes. `limits`: lower ones than the log's (a share of
   * the budget), over the same windows.
   */
  delayUntilAdmissible(now: number, limits: readonly WindowLimit[] = this.limits): number {
    this.prune(now);
    let delay = 0;
    for (const { windowMs, max } of limits) {
      if (this.inFlight >= max) return Infinity;
      // At most `max - inFlight - 1` completions may remain within the window.
      const allowed = max - this.inFlight - 1;
      const recentStart = this.firstAfter(now - windowMs);
      const recent = this.completions.length - recentStart;
      if (recent > allowed) {
        const mustExpire = this.completions[this.completions.length - 1 - allowed]!;
        delay = Math.max(delay, mustExpire + windowMs - now);
      }
    }
    return delay;
  }

  admit(): void {
    this.inFlight++;
  }

  complete(now: number): void {
    if (this.inFlight === 0) throw new Error('complete() without admit()');
    this.inFlight--;
    // Completions arrive in clock order; guard against a clock that steps back.
    const last = this.completions[this.completions.length - 1];
    this.completions = pushOnto(this.completions, last !== undefined && last > now ? last : now);
  }

  /** No call in flight and none that still counts: forgetting this log changes nothing. */
  isIdle(now: number): boolean {
    this.prune(now);
    return this.inFlight === 0 && this.completions.length === 0;
  }

  private prune(now: number): void {
    const keepFrom = this.firstAfter(now - this.widestMs);
    if (keepFrom > 0) this.completions = this.completions.slice(keepFrom);
  }

  /** Index of the first completion strictly after `t` (binary search). */
  private firstAfter(t: number): number {
    let lo = 0;
    let hi = this.completions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.completions[mid]! > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
