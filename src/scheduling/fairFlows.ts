/**
 * The order tasks of one class start in, as p-queue's `queueClass`: deficit
 * round robin across chats, and within a chat across people. Each turn adds
 * one to a flow's deficit, and a task is served when its cost (a command's
 * read_user calls) fits the deficit. So a chat with one task waiting is served
 * in the next round, however many tasks others have, and a 10-id command
 * counts as ten turns. Pure bookkeeping: p-queue runs the tasks.
 */
import type { Queue } from 'p-queue';
import { pushOnto } from './arrays.js';
import type { Lane } from './lanes.js';

export type Run = () => Promise<unknown>;

/** What `queue.add(task, options)` says of a task: whose it is and what it costs, in calls (at least 1). */
export interface LaneOptions {
  lane: Lane;
  cost?: number;
  id?: string;
}

interface QueuedTask {
  run: Run;
  /** p-queue's copy of the task's options, which it keeps anyway. */
  options: Partial<LaneOptions>;
}

interface Flow {
  readonly size: number;
  push(path: readonly string[], task: QueuedTask): void;
  /** What `shift` returns next; settles whose turn it is, so it may be called again with the same answer. */
  peek(): QueuedTask | undefined;
  shift(): QueuedTask | undefined;
  tasks(): Iterable<QueuedTask>;
}

const costOf = (task: QueuedTask): number => Math.max(1, task.options.cost ?? 1);

/** One person's tasks, first in first out. */
class Fifo implements Flow {
  private items: (QueuedTask | undefined)[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(_path: readonly string[], task: QueuedTask): void {
    this.items = pushOnto(this.items, task);
  }

  peek(): QueuedTask | undefined {
    return this.items[this.head];
  }

  shift(): QueuedTask | undefined {
    const task = this.items[this.head];
    if (!task) return undefined;
    this.items[this.head++] = undefined;
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return task;
  }

  *tasks(): Iterable<QueuedTask> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i]!;
  }
}

interface Turn {
  key: string;
  flow: Flow;
  deficit: number;
  /** It has had this round's quantum: when its head no longer fits, its turn is over. */
  started: boolean;
}

/** Flows a round robin looks through one by one before it keeps an index of them. */
const SCAN_LIMIT = 8;

/** Deficit round robin over keyed flows (chats, or people within a chat). */
class RoundRobin implements Flow {
  /**
   * Turns by key, made once more than SCAN_LIMIT flows wait; until then the
   * ring is searched. Most chats have one person waiting, and a Map costs
   * more than the ring it would index.
   */
  private index: Map<string, Turn> | undefined;
  /**
   * Flows with something waiting, in turn order from `head`: the current one first. An array with a
   * moving head, not the Map's order: a Map emptied from the front is slow to iterate (V8 keeps the holes).
   */
  private ring: (Turn | undefined)[] = [];
  private head = 0;
  private count = 0;

  constructor(private readonly newFlow: () => Flow) {}

  get size(): number {
    return this.count;
  }

  push(path: readonly string[], task: QueuedTask): void {
    const [key = '', ...rest] = path;
    let turn = this.find(key);
    if (!turn) {
      turn = { key, flow: this.newFlow(), deficit: 0, started: false };
      this.ring = pushOnto(this.ring, turn);
      if (this.index) this.index.set(key, turn);
      else if (this.ring.length - this.head > SCAN_LIMIT)
        this.index = new Map(this.ring.slice(this.head).map((t) => [t!.key, t!]));
    }
    turn.flow.push(rest, task);
    this.count++;
  }

  peek(): QueuedTask | undefined {
    return this.current()?.flow.peek();
  }

  shift(): QueuedTask | undefined {
    const turn = this.current();
    if (!turn) return undefined;
    const task = turn.flow.shift()!;
    this.count--;
    turn.deficit -= costOf(task);
    if (turn.flow.size === 0) {
      // An empty flow keeps no credit.
      this.index?.delete(turn.key);
      this.dropFront();
    }
    return task;
  }

  *tasks(): Iterable<QueuedTask> {
    for (let i = this.head; i < this.ring.length; i++) yield* this.ring[i]!.flow.tasks();
  }

  private find(key: string): Turn | undefined {
    if (this.index) return this.index.get(key);
    for (let i = this.head; i < this.ring.length; i++) if (this.ring[i]!.key === key) return this.ring[i];
    return undefined;
  }

  /** The flow whose head is served next, once the round has moved on as far as needed. */
  private current(): Turn | undefined {
    for (;;) {
      const turn = this.ring[this.head];
      if (!turn) return undefined;
      if (costOf(turn.flow.peek()!) <= turn.deficit) return turn;
      if (turn.started) {
        // Its turn is over: to the back of the round, keeping what it has not spent.
        turn.started = false;
        this.dropFront();
        this.ring.push(turn);
      } else {
        turn.deficit += 1;
        turn.started = true;
      }
    }
  }

  private dropFront(): void {
    this.ring[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.ring.length) {
      this.ring = this.ring.slice(this.head);
      this.head = 0;
    }
  }
}

/** A chat's flow: its people in turn, each first in first out. Module functions, not closures made per chat. */
const newPersonFlow = (): Flow => new Fifo();
const newChatFlow = (): Flow => new RoundRobin(newPersonFlow);

export class FairFlows implements Queue<Run, LaneOptions> {
  private readonly chats = new RoundRobin(newChatFlow);

  get size(): number {
    return this.chats.size;
  }

  enqueue(run: Run, options: Partial<LaneOptions> = {}): void {
    const lane = options.lane;
    this.chats.push([lane?.chat ?? '', lane?.person ?? ''], { run, options });
  }

  dequeue(): Run | undefined {
    return this.chats.shift()?.run;
  }

  /** The tasks waiting for a chat, or a person of it (p-queue's `sizeBy`). */
  filter(options: Readonly<Partial<LaneOptions>>): Run[] {
    const { chat, person } = options.lane ?? {};
    const out: Run[] = [];
    for (const { run, options: o } of this.chats.tasks())
      if ((chat === undefined || o.lane?.chat === chat) && (person === undefined || o.lane?.person === person))
        out.push(run);
    return out;
  }

  /** Turns go by lane, not by priority. */
  setPriority(): void {
    throw new Error('fair flows take no priorities: a task’s lane sets its turn');
  }
}
