/**
 * One p-queue a work class, each ordering its tasks by lane (fairFlows.ts).
 * Classes are queues of their own so that one never holds another's running
 * slots: bulk work waiting for Feishu's budget does not keep a person's task
 * from starting. Where classes compete for one budget, the scheduler asks
 * `idleAbove` and lets the more urgent class go first.
 *
 * Tasks start on a later turn of the event loop than the one that added
 * them: whoever added them (a webhook's acknowledgement) finishes first, and
 * a burst that arrives in one turn is taken in fair order, not as it came.
 */
import PQueue from 'p-queue';
import { FairFlows, type LaneOptions } from './fairFlows.js';
import { WORK_CLASSES, type WorkClass } from '../domain/types.js';
import { rankOf, type Lane } from './lanes.js';
import { Signal } from './signal.js';

type ClassQueue = PQueue<FairFlows, LaneOptions>;

export class ClassQueues {
  /** Made on a class's first task: a scheduler per chat mostly sees one class. */
  private readonly queues = new Map<WorkClass, ClassQueue>();
  /** Paused from outside (`pause`), as opposed to until the next turn. */
  private paused = false;
  private startScheduled = false;
  private readonly pausedOrStarted = new Signal();

  constructor(
    /** Tasks of one class running at once. */
    private readonly concurrency: number,
    /** Told of each task added, with its class. */
    private readonly onAdd?: (cls: WorkClass) => void,
  ) {}

  add<T>(task: () => Promise<T>, lane: Lane, cost?: number): Promise<T> {
    const queue = this.of(lane.cls);
    if (!this.startScheduled) {
      this.startScheduled = true;
      for (const q of this.queues.values()) q.pause();
      setImmediate(() => {
        this.startScheduled = false;
        if (!this.paused) for (const q of this.queues.values()) q.start();
      });
    }
    return queue.add(task, { lane, cost });
  }

  /** Waiting, not yet started. */
  get size(): number {
    return this.sum((q) => q.size);
  }

  /** Running. */
  get pending(): number {
    return this.sum((q) => q.pending);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Starts nothing more until `start`; what runs carries on. */
  pause(): void {
    this.paused = true;
    for (const q of this.queues.values()) q.pause();
    this.pausedOrStarted.fire();
  }

  start(): void {
    this.paused = false;
    if (!this.startScheduled) for (const q of this.queues.values()) q.start();
    this.pausedOrStarted.fire();
  }

  /** Whether a class ranked above `cls` has a task waiting or running. */
  busyAbove(cls: WorkClass): boolean {
    return this.above(cls) !== undefined;
  }

  /** Resolves once no class ranked above `cls` has a task waiting or running. */
  async idleAbove(cls: WorkClass): Promise<void> {
    for (let busy = this.above(cls); busy; busy = this.above(cls)) await busy.onIdle();
  }

  /** Resolves when nothing runs and nothing that can start waits (paused, what waits cannot start). */
  async idle(): Promise<void> {
    for (;;) {
      const busy = [...this.queues.values()].find((q) => q.pending > 0 || (!this.paused && q.size > 0));
      if (!busy) return;
      // Paused meanwhile, what waits can no longer start: look again.
      await Promise.race([this.paused ? busy.onPendingZero() : busy.onIdle(), this.pausedOrStarted.next()]);
    }
  }

  private above(cls: WorkClass): ClassQueue | undefined {
    for (const higher of WORK_CLASSES.slice(0, rankOf(cls))) {
      const q = this.queues.get(higher);
      if (q && q.size + q.pending > 0) return q;
    }
    return undefined;
  }

  private of(cls: WorkClass): ClassQueue {
    let q = this.queues.get(cls);
    if (!q) {
      q = new PQueue({ concurrency: this.concurrency, queueClass: FairFlows, autoStart: false });
      const onAdd = this.onAdd;
      if (onAdd) q.on('add', () => onAdd(cls));
      this.queues.set(cls, q);
    }
    return q;
  }

  private sum(of: (q: ClassQueue) => number): number {
    let n = 0;
    for (const q of this.queues.values()) n += of(q);
    return n;
  }
}
