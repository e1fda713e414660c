/**
 * Where a throttle keeps its count: a Budget hands out slots under the
 * sliding-window limits. The local one counts in this process; the Redis one
 * (src/state/redis/redisBudget.ts) counts for every replica at once.
 */
import type { WindowLimit } from '../domain/limits.js';
import { SlidingWindowLog } from './slidingWindow.js';
import type { Clock } from '../domain/clock.js';

/** A slot held by one call, from admission until one window after `release`. */
export interface Slot {
  /** The call is over; `extraHoldMs`: it may still reach Feishu a while (a timeout). */
  release(extraHoldMs: number): void;
}

export interface Budget {
  /**
   * A slot now, or how long to wait before asking again (Infinity: until a
   * call of this process completes). `limits`: a share of the budget's own
   * limits, over the same windows, that this call must stay within (bulk work
   * leaves a reserve); the budget's own by default.
   */
  take(limits?: readonly WindowLimit[]): Promise<Slot | number>;
  /** Nothing held here: forgetting this budget object changes nothing. */
  isIdle(): boolean;
}

/** A budget per name (e.g. `read_user`, `chat:oc_x`), all with the same home. */
export type Budgets = (name: string, limits: readonly WindowLimit[]) => Budget;

export class LocalBudget implements Budget {
  private readonly log: SlidingWindowLog;

  constructor(
    limits: readonly WindowLimit[],
    private readonly clock: Clock,
  ) {
    this.log = new SlidingWindowLog(limits);
  }

  async take(limits?: readonly WindowLimit[]): Promise<Slot | number> {
    const delay = this.log.delayUntilAdmissible(this.clock.now(), limits);
    if (delay > 0) return delay;
    this.log.admit();
    return { release: (extraHoldMs) => this.log.complete(this.clock.now() + extraHoldMs) };
  }

  isIdle(): boolean {
    return this.log.isIdle(this.clock.now());
  }
}

export const localBudgets =
  (clock: Clock): Budgets =>
  (_name, limits) =>
    new LocalBudget(limits, clock);
