/**
 * A throttle: calls wait in a fair queue (src/queue/fairQueue.ts: a person's
 * calls first, then bulk, then watches; across chats and people in turn) and
 * start only when their budget hands out a slot. One call is admitted at a
 * time, so the order holds in this process even when the budget is shared by
 * several; the calls themselves run concurrently. Bulk work and watches
 * follow a BulkRule: they may use only a share of the limits (the rest is a
 * reserve that lets a person's call go out at once after a backlog has spent
 * its share), and they start evenly spaced rather than 50 at once each time
 * the second's window slides, so the bot's own event loop, which also
 * acknowledges Feishu's webhooks, never has a burst of calls to make.
 */
import { FairQueue, rankOf, type Lane, type WorkClass } from '../queue/fairQueue.js';
import { ANYONE } from '../queue/lanes.js';
import { LocalBudget, type Budget, type Slot } from './budget.js';
import type { WindowLimit } from './slidingWindow.js';
import type { Clock } from '../domain/clock.js';

/** How bulk work and watches may use a budget. */
export interface BulkRule {
  /** A share of the budget's limits, over the same windows. */
  limits: readonly WindowLimit[];
  /** The least time between two bulk calls' starts. */
  spacingMs: number;
}

interface Waiter {
  resolve(slot: Slot): void;
  reject(reason: unknown): void;
}

export class Throttle {
  private readonly queue = new FairQueue<Waiter>();
  private pumping = false;
  /** When the next bulk call may start (BulkRule.spacingMs after the last). */
  private bulkNextAt = 0;
  /** While the pump waits: what it waits for, and how to wake it early. */
  private paused?: { cls: WorkClass; forCompletion: boolean; wake: () => void };

  /**
   * `holdAfterFailure` says how much longer than usual a failed call keeps its
   * slot: a call we stopped waiting for (a timeout) may still reach Feishu
   * after we gave up on it.
   */
  constructor(
    private readonly limits: readonly WindowLimit[],
    private readonly clock: Clock,
    private readonly holdAfterFailure: (e: unknown) => number = () => 0,
    private readonly budget: Budget = new LocalBudget(limits, clock),
    private readonly bulk: BulkRule = { limits, spacingMs: 0 },
  ) {}

  /** Rejects with the reason given to `abortWaiting` if it had not started by then. */
  async run<T>(fn: () => Promise<T>, lane: Lane = ANYONE): Promise<T> {
    const slot = await new Promise<Slot>((resolve, reject) => {
      this.queue.push({ resolve, reject }, lane);
      this.arrived(lane.cls);
    });
    let extraHold = 0;
    try {
      return await fn();
    } catch (e) {
      extraHold = this.holdAfterFailure(e);
      throw e;
    } finally {
      slot.release(extraHold);
      if (this.paused?.forCompletion) this.resume();
    }
  }

  /** Calls not yet started are dropped (their `run` rejects with `reason`); calls running carry on. */
  abortWaiting(reason: Error): void {
    for (const waiter of this.queue.clear()) waiter.reject(reason);
  }

  /** Calls waiting for their turn (not counting those running). */
  get waiting(): number {
    return this.queue.size;
  }

  isIdle(): boolean {
    return this.waiting === 0 && this.budget.isIdle();
  }

  /** A call of a more urgent class than the one the pump waits for need not wait with it. */
  private arrived(cls: WorkClass): void {
    if (!this.pumping) void this.pump();
    else if (this.paused && rankOf(cls) < rankOf(this.paused.cls)) this.resume();
  }

  private resume(): void {
    const paused = this.paused;
    this.paused = undefined;
    paused?.wake();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    for (let next = this.queue.peek(); next; next = this.queue.peek()) {
      const { cls } = next;
      const isBulk = cls !== 'person';
      // A slot, or how long to wait: first the bulk spacing, then whatever the budget says.
      let taken: Slot | number = isBulk ? this.bulkNextAt - this.clock.now() : 0;
      if (taken <= 0) {
        try {
          taken = await this.budget.take(isBulk ? this.bulk.limits : this.limits);
        } catch (e) {
          this.queue.shift([cls])?.reject(e); // the budget is out of reach: this call fails, the next one tries again
          continue;
        }
      }
      if (typeof taken === 'object') {
        if (isBulk) this.bulkNextAt = this.clock.now() + this.bulk.spacingMs;
        const waiter = this.queue.shift([cls]);
        if (waiter) waiter.resolve(taken);
        else taken.release(0); // dropped meanwhile (abortWaiting): counted as a call, harmlessly
        continue;
      }
      await new Promise<void>((wake) => {
        const paused = { cls, forCompletion: taken === Infinity, wake };
        this.paused = paused;
        if (taken !== Infinity) void this.clock.sleep(taken).then(() => this.paused === paused && this.resume());
      });
    }
    this.pumping = false;
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

  run<T>(key: string, fn: () => Promise<T>, lane?: Lane): Promise<T> {
    this.sweep();
    let throttle = this.throttles.get(key);
    if (!throttle) {
      throttle = new Throttle(this.limits, this.clock, this.holdAfterFailure, this.budgetOf(key));
      this.throttles.set(key, throttle);
    }
    return throttle.run(fn, lane);
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
/** What bulk work and watches may use of the app's limits: the rest of the minute is kept for people. */
export const BULK_SHARE = 0.9;

/**
 * Bulk work's rule under `limits`: the widest window cut to `share` (the
 * narrower ones, 50 a second, stay whole), and starts spaced at the narrowest
 * window's pace (20 ms for 50 a second), which costs a backlog no throughput.
 */
export function bulkRuleOf(limits: readonly WindowLimit[], share = BULK_SHARE): BulkRule {
  const widest = Math.max(...limits.map((l) => l.windowMs));
  const narrowest = limits.reduce((a, b) => (b.windowMs < a.windowMs ? b : a));
  return {
    limits: limits.map((l) => (l.windowMs === widest ? { ...l, max: Math.max(1, Math.floor(l.max * share)) } : l)),
    spacingMs: narrowest.windowMs / narrowest.max,
  };
}

/** Feishu's limit on bot messages into one user's or one group's chat. */
export const CHAT_LIMITS: readonly WindowLimit[] = [{ windowMs: 1_000, max: 5 }];
/** Feishu's limit on updates to one message. */
export const MESSAGE_UPDATE_LIMITS: readonly WindowLimit[] = [{ windowMs: 1_000, max: 5 }];
