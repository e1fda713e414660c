/**
 * Everything replicas must share, behind small interfaces with two homes:
 * this process and its SQLite file (one replica, the default:
 * embeddedState.ts), or Redis (REDIS_URL, several replicas: src/state/redis/).
 * Async, because Redis is a network away; a failure to reach it rejects with
 * a BotError 'unavailable'.
 */
import type { Budgets } from '../scheduling/budget.js';
import type { Rates } from '../scheduling/rates.js';
import type { JournalEntry, Progress, Snapshot, Watch, WatchEnd, WatchRefusal } from '../domain/types.js';
import type { Send, SendState } from '../domain/send.js';

/** Seen events (de-duplication) and the journal of accepted commands. */
export interface Intake {
  /** Records `keys` as seen and journals `entry`, in one step, unless a key was seen before: then false, and nothing changes. */
  accept(keys: readonly string[], entry?: JournalEntry): Promise<boolean>;
  /** Answered, or failed for good: forget it. */
  complete(messageId: string): Promise<void>;
  /** Still journaled, waiting for Feishu: keeps the entry's wait fields (since when, tries, a card built already). */
  wait(entry: JournalEntry): Promise<void>;
  /**
   * Journaled commands that nobody is answering, now this replica's to answer:
   * those left by a stop, and (with Redis) those of replicas that died.
   */
  claim(): Promise<JournalEntry[]>;
  /** Left unanswered here (shutting down, or shared state failed): another replica, or the next start, answers it. */
  release(messageId: string): Promise<void>;
}

/** Every snapshot taken, for trends and `history`. */
export interface HistoryLog {
  record(snapshot: Snapshot, askedBy?: string): Promise<void>;
  /** The last 30 days, oldest first. */
  series(batchId: string, now: number): Promise<Snapshot[]>;
}

/** Every delivery funnel taken (get_progress), as a series of its own, kept like the snapshots. */
export interface ProgressLog {
  record(progress: Progress, askedBy?: string): Promise<void>;
  /** The last 30 days, oldest first. */
  series(batchId: string, now: number): Promise<Progress[]>;
}

/** Who was greeted in the one-to-one chat, so each person is greeted once every GREET_AGAIN_MS. */
export interface Greetings {
  /** True, and the person marked as greeted at `now`, unless greeted within GREET_AGAIN_MS: checked and marked in one step. */
  mark(openId: string, now: number): Promise<boolean>;
  /** Forgets a greeting that could not be sent, so the next visit tries again. */
  release(openId: string): Promise<void>;
}

/** Watches, and which replica drives each one. */
export interface WatchBook {
  add(watch: Watch): Promise<void>;
  /** Adds the watch unless the caps refuse it (WATCH_CAPS), deciding and adding in one step; a watch of the same id is replaced. */
  reserve(watch: Watch): Promise<WatchRefusal | undefined>;
  /** The card the watch updates, once it has been sent. */
  attach(id: string, cardMessageId: string): Promise<void>;
  get(id: string): Promise<Watch | undefined>;
  active(): Promise<Watch[]>;
  reschedule(id: string, nextAt: number): Promise<void>;
  /** False when it had already ended (someone else stopped it first). */
  end(id: string, reason: WatchEnd, at: number, by?: string): Promise<boolean>;
  /** Of these active watches, the ones this replica drives: it keeps those it drove and takes those nobody drives. */
  drive(ids: readonly string[]): Promise<Set<string>>;
  /** Hands this replica's watches over (shutting down). */
  letGo(): Promise<void>;
  /** How often the driver must call `drive` to keep its watches. */
  readonly driveEveryMs: number;
}

/** Identical queries share one read_user call, across replicas too. */
export interface CallSharing {
  /** A snapshot of `batchId` that another replica took within the freshness window. */
  recent(batchId: string): Promise<Snapshot | undefined>;
  /** Runs `call`, unless another replica is running the call `key`: then waits for its result (and runs `call` if none comes). */
  share(key: string, call: () => Promise<Snapshot>): Promise<Snapshot>;
}

/**
 * What `advance` sets: the new state and any other fields. A field left undefined stays as it was. The sender and
 * the creation time are what a send is found by, so they stay as created.
 */
export type SendChange = Partial<Omit<Send, 'id' | 'senderOpenId' | 'createdAt'>> & { state: SendState };

/**
 * Batch messages written through the bot, from draft to recall; each change of state is made once. A draft never
 * confirmed is kept a day; a send, 30 days once it leaves its draft (read_user answers only that long).
 */
export interface SendBook {
  /** Saves a new send; false (and nothing changed) when one with its id exists already. */
  create(send: Send): Promise<boolean>;
  get(id: string): Promise<Send | undefined>;
  /** The send that made batch message `batchId`, if the bot sent it. */
  byBatchId(batchId: string): Promise<Send | undefined>;
  /**
   * Moves the send from one of the states `from` to `change.state`, setting the other fields of `change`, in one
   * step; undefined, and nothing changed, when it was in none of them (another press, process or replica moved it
   * first). Resolves to the send as it now is.
   */
  advance(id: string, from: readonly SendState[], change: SendChange): Promise<Send | undefined>;
  /** A person's latest sends (by open id), newest first, but for those in the states `except`. */
  bySender(senderOpenId: string, limit: number, except?: readonly SendState[]): Promise<Send[]>;
  /** Every send now in one of `states`, oldest first (at start the bot resumes queued sends and settles interrupted ones). */
  inStates(states: readonly SendState[]): Promise<Send[]>;
}

export interface SharedState {
  intake: Intake;
  history: HistoryLog;
  progress: ProgressLog;
  greetings: Greetings;
  watches: WatchBook;
  sends: SendBook;
  calls: CallSharing;
  /** Where the rate limits are counted. */
  budgets: Budgets;
  /** Where per-person rates are counted (commands, button presses). */
  rates: Rates;
  /** The /readyz checks of what it depends on. */
  checks(): Record<string, boolean>;
  /** False once closed: events are refused from then on. */
  isOpen(): boolean;
  close(): Promise<void>;
}
