/**
 * Commands waiting for their turn, kept as plain records: a backlog of
 * thousands costs a few hundred bytes each, not a parked pipeline of
 * promises, closures and throttle entries (about 10 KB each, measured). At
 * most `concurrency` run at once, oldest first; that is still enough to keep
 * every Feishu budget busy, because each running command mostly waits for one.
 */
export class WorkQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  private running = 0;
  private pumpScheduled = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly worker: (item: T) => Promise<void>,
  ) {}

  /** Queues `item`; it starts on a later turn at the earliest, so whoever pushed can finish first (the webhook's ack). */
  push(item: T): void {
    this.items.push(item);
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
    return this.items.length - this.head;
  }

  get active(): number {
    return this.running;
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
    while (!this.stopped && this.running < this.concurrency && this.head < this.items.length) {
      const item = this.items[this.head] as T;
      this.items[this.head++] = undefined;
      this.running++;
      void this.worker(item)
        .catch(() => undefined) // the worker reports its own failures
        .finally(() => {
          this.running--;
          this.pump();
          this.notifyIfIdle();
        });
    }
    // Drop the consumed front now and then, so a long-lived queue does not keep a long array of holes.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  private notifyIfIdle(): void {
    if (this.running > 0 || (!this.stopped && this.waiting > 0) || this.pumpScheduled) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
