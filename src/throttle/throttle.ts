/**
 * A throttle: calls wait in a p-queue (FIFO within a priority) and start only
 * when their budget hands out a slot. The queue admits one call at a time, so
 * order (and priority) is kept in this process even when the budget is shared
 * by several; the calls themselves run concurrently.
 */
import PQueue from 'p-queue';
import { LocalBudget, type Budget, type Slot } from './budget.js';
import type { WindowLimit } from './slidingWindow.js';
import type { Clock } from '../domain/clock.js';

export interface RunOptions {
  /** Higher runs first (p-queue semantics). */
  priority?: number;
}

export class Throttle {
  private readonly admissions = new PQueue({ concurrency: 1 });
  private completionWaiters: Array<() => void> = [];
  private waitingAborted = new AbortController();

  /**
   * `holdAfterFailure` says how much longer than usual a failed call keeps its
   * slot: a call we stopped waiting for (a timeout) may still reach Feishu
   * after we gave up on it.
   */
  constructor(
    limits: readonly WindowLimit[],
    private readonly clock: Clock,
    private readonly holdAfterFailure: (e: unknown) => number = () => 0,
    private readonly budget: Budget = new LocalBudget(limits, clock),
  ) {}

  /** Rejects with the reason given to `abortWaiting` if it had not started by then. */
  async run<T>(fn: () => Promise<T>, options: RunOptions = {}): Promise<T> {
    // No per-call abort listener (thousands waiting would make each add cost O(n)): admit() checks the signal.
    const { signal } = this.waitingAborted;
    const slot = await this.admissions.add(() => this.admit(signal), { priority: options.priority ?? 0 });
    let extraHold = 0;
    try {
      return await fn();
    } catch (e) {
      extraHold = this.holdAfterFailure(e);
      throw e;
    } finally {
      slot.release(extraHold);
      const waiters = this.completionWaiters;
      this.completionWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** Calls not yet started are dropped (their `run` rejects with `reason`); calls running carry on. */
  abortWaiting(reason: Error): void {
    const aborted = this.waitingAborted;
    this.waitingAborted = new AbortController();
    aborted.abort(reason);
  }

  /** Calls waiting for their turn (not counting those running). */
  get waiting(): number {
    return this.admissions.size + this.admissions.pending;
  }

  isIdle(): boolean {
    return this.waiting === 0 && this.budget.isIdle();
  }

  private async admit(signal: AbortSignal): Promise<Slot> {
    for (;;) {
      signal.throwIfAborted(); // dropped while waiting: take no slot
      const delay = await this.budget.take();
      if (typeof delay === 'object') return delay;
      if (delay === Infinity) await new Promise<void>((resolve) => this.completionWaiters.push(resolve));
      else await this.clock.sleep(delay);
    }
  }
}

/**
 * One throttle per key (a chat), created on demand and forgotten once idle,
 * so a busy chat only ever waits for itself.
 */
export class KeyedThrottle {
  private readonly throttles = new Map<string, Throttle>();
  private lastSweep: number;

  constructor(
    private readonly limits: readonly WindowLimit[],
    private readonly clock: Clock,
    private readonly holdAfterFailure: (e: unknown) => number = () => 0,
    private readonly sweepEveryMs = 10_000,
    private readonly budgetOf: (key: string) => Budget = () => new LocalBudget(limits, clock),
  ) {
    this.lastSweep = clock.now();
  }

  abortWaiting(reason: Error): void {
    for (const throttle of this.throttles.values()) throttle.abortWaiting(reason);
  }

  run<T>(key: string, fn: () => Promise<T>, options?: RunOptions): Promise<T> {
    this.sweep();
    let throttle = this.throttles.get(key);
    if (!throttle) {
      throttle = new Throttle(this.limits, this.clock, this.holdAfterFailure, this.budgetOf(key));
      this.throttles.set(key, throttle);
    }
    return throttle.run(fn, options);
  }

  get size(): number {
    return this.throttles.size;
  }

  private sweep(): void {
    const now = this.clock.now();
    if (now - this.lastSweep < this.sweepEveryMs) return;
    this.lastSweep = now;
    for (const [key, throttle] of this.throttles) if (throttle.isIdle()) this.throttles.delete(key);
  }
}

/** Feishu's per-app limits for read_user and for sending messages. */
export const APP_LIMITS: readonly WindowLimit[] = [
  { windowMs: 1_000, max: 50 },
  { windowMs: 60_000, max: 1_000 },
];
/** Feishu's limit on bot messages into one user's or one group's chat. */
export const CHAT_LIMITS: readonly WindowLimit[] = [{ windowMs: 1_000, max: 5 }];
/** Feishu's limit on updates to one message. */
export const MESSAGE_UPDATE_LIMITS: readonly WindowLimit[] = [{ windowMs: 1_000, max: 5 }];
