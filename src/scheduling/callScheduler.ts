/**
 * Feishu calls of one budget (read_user, messages, one chat…), each started
 * by a p-queue task. p-queue keeps the tasks, in fair order (a person's
 * first, then bulk, then watches; across chats and people in turn) and one at
 * a time per class; the task takes a slot of the budget and starts the call,
 * which then runs on while the next task waits for its slot. Classes take
 * turns on the budget: a task waits while a more urgent class has one waiting.
 *
 * What p-queue does not do stays here, small:
 * - The limits as Feishu counts them: every sliding 1 s and 60 s window, a
 *   call counted on arrival, somewhere between its start and its answer
 *   (budget.ts, slidingWindow.ts). p-queue's `interval`/`intervalCap` counts
 *   starts, in a fixed window unless strict, so it lets more than 50 calls
 *   into one of Feishu's seconds (docs/performance.md, "p-queue's fixed
 *   window"). It also reads Date.now, not the injected clock.
 * - The fleet's shared budget in Redis: p-queue counts in this process.
 * - The reserve: bulk work and watches may use only a share of the budget,
 *   so a person's call goes out at once after a backlog has spent its share;
 *   p-queue has one cap for every task.
 * - The 20 ms spacing of bulk calls, so the event loop that acknowledges
 *   Feishu's webhooks never has 50 calls to start at once: a spacing for some
 *   classes only.
 * - The hold after a failed call: a call that timed out may still reach
 *   Feishu, so its slot counts a while longer; p-queue forgets a task when it ends.
 */
import type { Clock } from '../domain/clock.js';
import { LocalBudget, type Budget, type Slot } from './budget.js';
import { ClassQueues } from './classQueues.js';
import { WORK_CLASSES, type WorkClass } from '../domain/types.js';
import { ANYONE, rankOf, type Lane } from './lanes.js';
import type { BulkRule } from './bulkRule.js';
import { Signal } from './signal.js';
import type { WindowLimit } from '../domain/limits.js';

export interface CallSchedulerOptions {
  clock: Clock;
  /** Where the limits are counted: in this process by default, or for every replica (Redis). */
  budget?: Budget;
  /** How much longer than usual a failed call keeps its slot (a call we stopped waiting for may still arrive). */
  holdAfterFailure?: (e: unknown) => number;
  /** How bulk work and watches may use the budget; by default as a person's calls do, unspaced. */
  bulk?: BulkRule;
}

export class CallScheduler {
  private readonly queues: ClassQueues;
  private readonly budget: Budget;
  private readonly bulk: BulkRule;
  /** When the next bulk call may start (BulkRule.spacingMs after the last). */
  private bulkNextAt = 0;
  /** Fired when a task of the class arrives: a less urgent class waiting for its slot gives way. */
  private readonly arrived = new Map<WorkClass, Signal>(WORK_CLASSES.map((cls) => [cls, new Signal()]));
  /** Fired when a call gives its slot back. */
  private readonly completed = new Signal();
  private stopped: Error | undefined;

  constructor(
    limits: readonly WindowLimit[],
    private readonly options: CallSchedulerOptions,
  ) {
    this.budget = options.budget ?? new LocalBudget(limits, options.clock);
    this.bulk = options.bulk ?? { limits, spacingMs: 0 };
    this.queues = new ClassQueues(1, (cls) => this.arrived.get(cls)!.fire());
  }

  /** Runs `call` once its turn comes and the budget has a slot; rejects with the stop's reason if stopped first. */
  async run<T>(call: () => Promise<T>, lane: Lane = ANYONE): Promise<T> {
    if (this.stopped) throw this.stopped;
    const started = await this.queues.add(
      async () => ({ running: this.holding(await this.admit(lane.cls), call) }),
      lane,
    );
    return started.running;
  }

  /** Calls not yet started reject with `reason`, and so does every later one; calls running carry on. */
  stop(reason: Error): void {
    this.stopped = reason;
    for (const signal of this.arrived.values()) signal.fire();
    this.completed.fire();
  }

  /** Calls waiting for their turn or their slot (not those running). */
  get waiting(): number {
    return this.queues.size + this.queues.pending;
  }

  /** Nothing waits and no slot is held here: forgetting this scheduler changes nothing. */
  isIdle(): boolean {
    return this.waiting === 0 && this.budget.isIdle();
  }

  /** A slot for the next call of `cls`, once no more urgent class waits. */
  private async admit(cls: WorkClass): Promise<Slot> {
    const isBulk = cls !== 'person';
    for (;;) {
      await this.queues.idleAbove(cls);
      this.throwIfStopped();
      // A slot, or how long to wait: first the bulk spacing, then whatever the budget says.
      const spacing = isBulk ? this.bulkNextAt - this.options.clock.now() : 0;
      const taken = spacing > 0 ? spacing : await this.budget.take(isBulk ? this.bulk.limits : undefined);
      this.throwIfStopped(taken);
      if (typeof taken === 'object') {
        if (isBulk) this.bulkNextAt = this.options.clock.now() + this.bulk.spacingMs;
        return taken;
      }
      // Infinity: every slot is held by a call in flight, so wait for one to end.
      const waited = taken === Infinity ? this.completed.next() : this.options.clock.sleep(taken);
      await Promise.race([waited, ...this.moreUrgent(cls).map((c) => this.arrived.get(c)!.next())]);
    }
  }

  /** Stopped: a slot taken meanwhile is given back, counted as a call that may have gone (harmlessly). */
  private throwIfStopped(taken?: Slot | number): void {
    if (!this.stopped) return;
    if (typeof taken === 'object') taken.release(0);
    throw this.stopped;
  }

  /** The classes that go before `cls`, and the class itself when stopping wakes everyone. */
  private moreUrgent(cls: WorkClass): WorkClass[] {
    return WORK_CLASSES.filter((c) => rankOf(c) < rankOf(cls) || this.stopped !== undefined);
  }

  /** Runs `call` in `slot`, giving the slot back when it ends (later when it failed in a way that may still arrive). */
  private holding<T>(slot: Slot, call: () => Promise<T>): Promise<T> {
    const running = (async () => {
      let extraHold = 0;
      try {
        return await call();
      } catch (e) {
        extraHold = this.options.holdAfterFailure?.(e) ?? 0;
        throw e;
      } finally {
        slot.release(extraHold);
        this.completed.fire();
      }
    })();
    running.catch(() => undefined); // the caller awaits it as soon as the task hands it over
    return running;
  }
}

/**
 * One scheduler per key (a chat, a message), made on demand and forgotten once
 * idle, so a busy chat only ever waits for itself.
 */
export class KeyedCallScheduler {
  private readonly schedulers = new Map<string, CallScheduler>();
  private lastSweep: number;

  constructor(
    private readonly limits: readonly WindowLimit[],
    private readonly options: Omit<CallSchedulerOptions, 'budget' | 'bulk'> & {
      budgetOf?: (key: string) => Budget;
      sweepEveryMs?: number;
    },
  ) {
    this.lastSweep = options.clock.now();
  }

  run<T>(key: string, call: () => Promise<T>, lane?: Lane): Promise<T> {
    this.sweep();
    let scheduler = this.schedulers.get(key);
    if (!scheduler) {
      scheduler = new CallScheduler(this.limits, { ...this.options, budget: this.options.budgetOf?.(key) });
      this.schedulers.set(key, scheduler);
    }
    return scheduler.run(call, lane);
  }

  get size(): number {
    return this.schedulers.size;
  }

  private sweep(): void {
    const now = this.options.clock.now();
    if (now - this.lastSweep < (this.options.sweepEveryMs ?? 10_000)) return;
    this.lastSweep = now;
    for (const [key, scheduler] of this.schedulers) if (scheduler.isIdle()) this.schedulers.delete(key);
  }
}
