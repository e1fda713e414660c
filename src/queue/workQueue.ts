/**
 * Commands waiting for their turn, kept as plain records: a backlog of
 * thousands costs a few hundred bytes each, not a parked pipeline of
 * promises, closures and throttle entries (about 10 KB each, measured). They
 * start in fair order (fairQueue.ts): a person's command first, then across
 * chats and people in turn. At most `concurrency` of each class run at once,
 * so a person's command never waits for a running slot that bulk work holds
 * while it waits for Feishu's budget; that is still enough to keep every
 * budget busy, because each running command mostly waits for one.
 */
import { FairQueue, WORK_CLASSES, type Lane, type WorkClass } from './fairQueue.js';

export class WorkQueue<T> {
  private readonly items = new FairQueue<T>();
  private readonly running = new Map<WorkClass, number>(WORK_CLASSES.map((cls) => [cls, 0]));
  private pumpScheduled = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    /** Runs an item; `cls`: the class it waited in. */
    private readonly worker: (item: T, cls: WorkClass) => Promise<void>,
  ) {}

  /**
   * Queues `item` in `lane`, costing `cost` turns (its calls). It starts on a
   * later turn at the earliest, so whoever pushed can finish first (the webhook's ack).
   */
  push(item: T, lane: Lane, cost = 1): void {
    this.items.push(item, lane, cost);
    if (!this.pumpScheduled) {
      this.pumpScheduled = true;
      setImmediate(() => {
        this.pumpScheduled = false;
        this.pump();
        this.notifyIfIdle(); // stopped before this turn: nothing started, and idle() may be waiting
      });
    }
  }

  /** Waiting, not yet started. */
  get waiting(): number {
    return this.items.size;
  }

  get active(): number {
    let n = 0;
    for (const count of this.running.values()) n += count;
    return n;
  }

  /** Starts nothing more; what waits stays unstarted (it is journaled and resumed after a restart). */
  stop(): void {
    this.stopped = true;
    this.notifyIfIdle();
  }

  /** Resolves when nothing runs and nothing that can still start waits. */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.notifyIfIdle();
    });
  }

  private pump(): void {
    for (;;) {
      if (this.stopped) return;
      const open = WORK_CLASSES.filter((cls) => this.running.get(cls)! < this.concurrency);
      const next = this.items.peek(open);
      if (!next) return;
      this.items.shift([next.cls]);
      this.start(next.item, next.cls);
    }
  }

  private start(item: T, cls: WorkClass): void {
    this.running.set(cls, this.running.get(cls)! + 1);
    void this.worker(item, cls)
      .catch(() => undefined) // the worker reports its own failures
      .finally(() => {
        this.running.set(cls, this.running.get(cls)! - 1);
        this.pump();
        this.notifyIfIdle();
      });
  }

  private notifyIfIdle(): void {
    if (this.active > 0 || (!this.stopped && this.waiting > 0) || this.pumpScheduled) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
