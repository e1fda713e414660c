/**
 * Commands waiting for their turn, as p-queue tasks that hold only the
 * command's record, not the promises and closures of a command parked
 * halfway (docs/performance.md has what each costs). They start in fair order
 * (fairFlows.ts). At most `concurrency` of each class run at once, so a
 * person's command never waits for a running slot that bulk work holds while
 * it waits for Feishu's budget; that is still enough to keep every budget
 * busy, because each running command mostly waits for one.
 */
import { ClassQueues } from './classQueues.js';
import type { WorkClass } from '../domain/types.js';
import type { Lane } from './lanes.js';

export class CommandQueue<T> {
  private readonly queues: ClassQueues;
  private stopped = false;

  constructor(
    concurrency: number,
    /** Runs an item; `cls`: the class it waited in. Reports its own failures. */
    private readonly worker: (item: T, cls: WorkClass) => Promise<void>,
  ) {
    this.queues = new ClassQueues(concurrency);
  }

  /** Queues `item` in `lane`, costing `cost` turns (its calls). It starts on a later turn at the earliest. */
  push(item: T, lane: Lane, cost = 1): void {
    // The worker reports its own failures. Caught as it runs, not as it waits: a handler on the
    // waiting task's promise would cost every waiting command a promise more.
    void this.queues.add(() => this.worker(item, lane.cls).catch(() => undefined), lane, cost);
  }

  /** Queued, not yet started. */
  get waiting(): number {
    return this.queues.size;
  }

  /** Nothing starts until `resume` (Feishu is unavailable); what runs carries on, what waits stays queued. */
  pause(): void {
    this.queues.pause();
  }

  resume(): void {
    if (!this.stopped) this.queues.start();
  }

  get isPaused(): boolean {
    return this.queues.isPaused;
  }

  /** Starts nothing more; what waits stays unstarted (it is journaled and resumed after a restart). */
  stop(): void {
    this.stopped = true;
    this.queues.pause();
  }

  /** Resolves when nothing runs and nothing that can still start waits. */
  idle(): Promise<void> {
    return this.queues.idle();
  }
}
