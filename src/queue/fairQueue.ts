/**
 * Fair order for work waiting its turn. Classes go in strict order: a
 * person's command, then bulk (a backlog, a many-id command), then watches.
 * Within a class, deficit round robin across chats, and within a chat across
 * people: each turn adds one to a flow's deficit, and an item is served when
 * its cost (a command's read_user calls) fits the deficit. So a chat with one
 * item waiting is served in the next round, however many items others have,
 * and a 10-id command counts as ten turns. Pure bookkeeping, no I/O.
 */
import { pushOnto } from '../domain/arrays.js';

export const WORK_CLASSES = ['person', 'bulk', 'watch'] as const;
export type WorkClass = (typeof WORK_CLASSES)[number];

/** Whose work an item is: its class, and the chat and person whose turns it takes. */
export interface Lane {
  cls: WorkClass;
  chat: string;
  person: string;
}

interface Entry<T> {
  item: T;
  cost: number;
}

interface Flow<T> {
  readonly size: number;
  push(path: readonly string[], entry: Entry<T>): void;
  /** What `shift` returns next; settles whose turn it is, so it may be called again with the same answer. */
  peek(): Entry<T> | undefined;
  shift(): Entry<T> | undefined;
}

/** One person's items, first in first out. */
class Fifo<T> implements Flow<T> {
  private entries: (Entry<T> | undefined)[] = [];
  private head = 0;

  get size(): number {
    return this.entries.length - this.head;
  }

  push(_path: readonly string[], entry: Entry<T>): void {
    this.entries = pushOnto(this.entries, entry);
  }

  peek(): Entry<T> | undefined {
    return this.entries[this.head];
  }

  shift(): Entry<T> | undefined {
    const entry = this.entries[this.head];
    if (!entry) return undefined;
    this.entries[this.head++] = undefined;
    if (this.head > 64 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return entry;
  }
}

interface Turn<T> {
  key: string;
  flow: Flow<T>;
  deficit: number;
  /** It has had this round's quantum: when its head no longer fits, its turn is over. */
  started: boolean;
}

/** Flows a round robin looks through one by one before it keeps an index of them. */
const SCAN_LIMIT = 8;

/** Deficit round robin over keyed flows (chats, or people within a chat). */
class RoundRobin<T> implements Flow<T> {
  /**
   * Turns by key, made once more than SCAN_LIMIT flows wait; until then the
   * ring is searched. Most chats have one person waiting, and a Map costs
   * about 300 bytes.
   */
  private index: Map<string, Turn<T>> | undefined;
  /**
   * Flows with something waiting, in turn order from `head`: the current one first. An array with a
   * moving head, not the Map's order: a Map emptied from the front is slow to iterate (V8 keeps the holes).
   */
  private ring: (Turn<T> | undefined)[] = [];
  private head = 0;
  private count = 0;

  constructor(private readonly newFlow: () => Flow<T>) {}

  get size(): number {
    return this.count;
  }

  push(path: readonly string[], entry: Entry<T>): void {
    const [key = '', ...rest] = path;
    let turn = this.find(key);
    if (!turn) {
      turn = { key, flow: this.newFlow(), deficit: 0, started: false };
      this.ring = pushOnto(this.ring, turn);
      if (this.index) this.index.set(key, turn);
      else if (this.ring.length - this.head > SCAN_LIMIT)
        this.index = new Map(this.ring.slice(this.head).map((t) => [t!.key, t!]));
    }
    turn.flow.push(rest, entry);
    this.count++;
  }

  peek(): Entry<T> | undefined {
    return this.current()?.flow.peek();
  }

  shift(): Entry<T> | undefined {
    const turn = this.current();
    if (!turn) return undefined;
    const entry = turn.flow.shift()!;
    this.count--;
    turn.deficit -= entry.cost;
    if (turn.flow.size === 0) {
      // An empty flow keeps no credit.
      this.index?.delete(turn.key);
      this.dropFront();
    }
    return entry;
  }

  private find(key: string): Turn<T> | undefined {
    if (this.index) return this.index.get(key);
    for (let i = this.head; i < this.ring.length; i++) if (this.ring[i]!.key === key) return this.ring[i];
    return undefined;
  }

  /** The flow whose head is served next, once the round has moved on as far as needed. */
  private current(): Turn<T> | undefined {
    for (;;) {
      const turn = this.ring[this.head];
      if (!turn) return undefined;
      if (turn.flow.peek()!.cost <= turn.deficit) return turn;
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
const newPersonFlow = <T>(): Flow<T> => new Fifo<T>();
const newChatFlow = <T>(): Flow<T> => new RoundRobin<T>(newPersonFlow);

export class FairQueue<T> {
  /** Made on a class's first item: a throttle per chat is made by the thousand and mostly sees one class. */
  private readonly classes = new Map<WorkClass, RoundRobin<T>>();

  /** `cost`: what the item will spend, in calls (at least 1). */
  push(item: T, lane: Lane, cost = 1): void {
    let flows = this.classes.get(lane.cls);
    if (!flows) this.classes.set(lane.cls, (flows = new RoundRobin<T>(newChatFlow)));
    flows.push([lane.chat, lane.person], { item, cost: Math.max(1, cost) });
  }

  get size(): number {
    let n = 0;
    for (const flows of this.classes.values()) n += flows.size;
    return n;
  }

  sizeOf(cls: WorkClass): number {
    return this.classes.get(cls)?.size ?? 0;
  }

  /** The item served next among `classes` (all, by default) and its class, without taking it. */
  peek(classes: readonly WorkClass[] = WORK_CLASSES): { item: T; cls: WorkClass } | undefined {
    for (const cls of classes) {
      const entry = this.classes.get(cls)?.peek();
      if (entry) return { item: entry.item, cls };
    }
    return undefined;
  }

  /** Takes the item `peek(classes)` shows. */
  shift(classes: readonly WorkClass[] = WORK_CLASSES): T | undefined {
    for (const cls of classes) {
      const entry = this.classes.get(cls)?.shift();
      if (entry) return entry.item;
    }
    return undefined;
  }

  /** Empties the queue; returns what waited. */
  clear(): T[] {
    const all: T[] = [];
    for (let item = this.shift(); item !== undefined; item = this.shift()) all.push(item);
    return all;
  }
}

/** A class's rank: lower goes first. */
export const rankOf = (cls: WorkClass): number => WORK_CLASSES.indexOf(cls);
