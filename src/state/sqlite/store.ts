/**
 * The embedded store (SQLite via better-sqlite3): what has been seen (for
 * de-duplication across restarts), the journal of accepted commands (so a
 * command accepted before a crash is still answered after it), and — in
 * their own files — snapshot history, watches and sends.
 *
 * Accepting is one transaction: an event is either unseen and journaled, or
 * seen — never seen-but-lost.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { Checkpointer } from './checkpointer.js';
import { GreetingStore } from './greetings.js';
import { SnapshotHistory } from './history.js';
import { ProgressHistory } from './progressHistory.js';
import { SendStore } from './sends.js';
import { WatchStore } from './watches.js';
import type { JournalEntry } from '../../domain/types.js';
import { BotError } from '../../domain/errors.js';

export interface StoreOptions {
  /** A file path, or ':memory:' for tests. */
  path: string;
  now: () => number;
  /** How long a seen key is remembered. */
  seenTtlMs: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS seen_at ON seen (at);
  CREATE TABLE IF NOT EXISTS journal (
    message_id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    chat_type TEXT NOT NULL,
    sender_open_id TEXT,
    sender_user_id TEXT,
    text TEXT,
    accepted_at INTEGER NOT NULL
  );
`;

/** Columns added after the first release: a file made before them gains them when opened. */
const ADDED_COLUMNS = ['waiting', 'mentions'] as const;

interface JournalRow {
  message_id: string;
  event_id: string;
  chat_id: string;
  chat_type: string;
  sender_open_id: string | null;
  sender_user_id: string | null;
  text: string | null;
  accepted_at: number;
  /** JSON of the entry's wait for Feishu (WaitFields), while it waits. */
  waiting: string | null;
  /** JSON of the people it @mentions besides the bot, if any. */
  mentions: string | null;
}

/** The fields of a journal entry waiting for Feishu, as kept in JSON (here and in Redis). */
export const waitFieldsSchema = z.object({
  waitingSince: z.number().optional(),
  attempts: z.number().optional(),
  card: z.record(z.string(), z.unknown()).optional(),
  takenAt: z.number().optional(),
});
type WaitFields = Pick<JournalEntry, 'waitingSince' | 'attempts' | 'card' | 'takenAt'>;

/** The people a journaled command @mentions, as kept in JSON (here and in Redis). */
export const mentionsSchema = z.array(z.object({ key: z.string(), openId: z.string(), name: z.string().optional() }));

export interface Acceptance {
  keys: readonly string[];
  entry?: JournalEntry;
}

const PRUNE_EVERY_MS = 60_000;
/** Thrown inside the transaction to roll it back; never escapes accept(). */
const SEEN_BEFORE = new Error('seen before');

/** Longer than Feishu's last redelivery (about 7.1 h after the first), so redeliveries are always recognised. */
export const SEEN_TTL_MS = 8 * 60 * 60 * 1000;

export class Store {
  private readonly db: Database.Database;
  private readonly stmts;
  readonly history: SnapshotHistory;
  readonly watches: WatchStore;
  readonly progress: ProgressHistory;
  readonly greetings: GreetingStore;
  readonly sends: SendStore;
  private lastPrune = 0;
  private closed = false;
  private readonly checkpointer?: Checkpointer;
  private readonly acceptTxn: (keys: readonly string[], now: number, entry?: JournalEntry) => void;
  private readonly acceptAllTxn: (requests: readonly Acceptance[], now: number) => boolean[];

  private constructor(
    db: Database.Database,
    private readonly options: StoreOptions,
  ) {
    this.db = db;
    if (options.path !== ':memory:') {
      db.pragma('wal_autocheckpoint = 0');
      this.checkpointer = new Checkpointer(options.path, (error) => {
        process.emitWarning(`SQLite checkpoints are back on the main thread: ${error.message}`);
        if (db.open) db.pragma('wal_autocheckpoint = 1000');
      });
    }
    this.history = new SnapshotHistory(db);
    this.watches = new WatchStore(db);
    this.progress = new ProgressHistory(db);
    this.greetings = new GreetingStore(db);
    this.sends = new SendStore(db, options.now);
    this.stmts = {
      markSeen: db.prepare<[string, number]>('INSERT OR IGNORE INTO seen (key, at) VALUES (?, ?)'),
      prune: db.prepare<[number]>('DELETE FROM seen WHERE at <= ?'),
      journal: db.prepare<
        [string, string, string, string, string | null, string | null, string | null, number, string | null]
      >(
        'INSERT OR IGNORE INTO journal (message_id, event_id, chat_id, chat_type, sender_open_id, sender_user_id, text, accepted_at, mentions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      wait: db.prepare<[string, string]>('UPDATE journal SET waiting = ? WHERE message_id = ?'),
      complete: db.prepare<[string]>('DELETE FROM journal WHERE message_id = ?'),
      pending: db.prepare<[], JournalRow>('SELECT * FROM journal ORDER BY accepted_at, rowid'),
    };
    // Built once: better-sqlite3 compiles a wrapper per transaction() call. A key that is
    // already there makes its insert change nothing; throwing rolls back the keys inserted before it.
    this.acceptTxn = db.transaction((keys: readonly string[], now: number, entry?: JournalEntry) => {
      for (const k of keys) if (this.stmts.markSeen.run(k, now).changes === 0) throw SEEN_BEFORE;
      if (entry) {
        this.stmts.journal.run(
          entry.messageId,
          entry.eventId,
          entry.chatId,
          entry.chatType,
          entry.senderOpenId ?? null,
          entry.senderUserId ?? null,
          entry.text ?? null,
          entry.acceptedAt,
          entry.mentions ? JSON.stringify(entry.mentions) : null,
        );
      }
    });
    // Each acceptance nested inside runs as a savepoint: a duplicate rolls back only its own keys.
    this.acceptAllTxn = db.transaction((requests: readonly Acceptance[], now: number) =>
      requests.map((request) => this.acceptOne(request, now)),
    );
  }

  /** Inside a transaction, a savepoint; alone, a transaction of its own. */
  private acceptOne({ keys, entry }: Acceptance, now: number): boolean {
    try {
      this.acceptTxn(keys, now, entry);
      return true;
    } catch (e) {
      if (e === SEEN_BEFORE) return false;
      throw e;
    }
  }

  /** Opens (creating the folder and file if needed) or throws a BotError saying what is wrong. */
  static open(options: StoreOptions): Store {
    try {
      if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
      const db = new Database(options.path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL'); // survives a process crash; only power loss may lose the last commits
      db.pragma('busy_timeout = 5000');
      // A burst can outrun the checkpoints and grow the log. The checkpoint worker cuts it back once all is
      // copied; here (journal_size_limit) the first commit after a burst would stall cutting it.
      db.exec(SCHEMA);
      const columns = new Set(
        db
          .prepare<[], { name: string }>('PRAGMA table_info(journal)')
          .all()
          .map((c) => c.name),
      );
      for (const column of ADDED_COLUMNS)
        if (!columns.has(column)) db.exec(`ALTER TABLE journal ADD COLUMN ${column} TEXT`);
      db.prepare('SELECT count(*) FROM journal').get(); // a corrupt file fails here, not later
      return new Store(db, options);
    } catch (e) {
      throw new BotError(
        'config',
        `Cannot open the store at ${options.path}: ${e instanceof Error ? e.message : String(e)}. ` +
          'Check that the folder is writable (set BOT_DB_PATH to move it) and that the file is a SQLite database; ' +
          'move a damaged file away to start afresh.',
        { cause: e },
      );
    }
  }

  /**
   * Records `keys` as seen and, if given, journals the command — unless a key
   * was seen before, in which case nothing changes. True when accepted.
   */
  accept(keys: readonly string[], entry?: JournalEntry): boolean {
    return this.acceptAll([{ keys, entry }])[0]!;
  }

  /** `accept` for each, in one commit; when the commit fails, none is accepted. */
  acceptAll(requests: readonly Acceptance[]): boolean[] {
    const now = this.options.now();
    this.pruneNow(now);
    // One alone needs no savepoint around it, which makes its commit cheaper (docs/performance.md).
    return requests.length === 1 ? [this.acceptOne(requests[0]!, now)] : this.acceptAllTxn(requests, now);
  }

  /** The command was answered: forget it. */
  complete(messageId: string): void {
    if (!this.closed) this.stmts.complete.run(messageId);
  }

  /** Keeps what a command waiting for Feishu needs to go on (since when, the tries, a card built already). */
  wait(entry: JournalEntry): void {
    const { waitingSince, attempts, card, takenAt } = entry;
    const fields: WaitFields = { waitingSince, attempts, card, takenAt };
    if (!this.closed) this.stmts.wait.run(JSON.stringify(fields), entry.messageId);
  }

  /** Commands accepted but not yet answered, oldest first. */
  pending(): JournalEntry[] {
    return this.stmts.pending.all().map((r) => ({
      ...(r.waiting === null ? {} : waitFieldsSchema.parse(JSON.parse(r.waiting))),
      messageId: r.message_id,
      eventId: r.event_id,
      chatId: r.chat_id,
      chatType: r.chat_type,
      senderOpenId: r.sender_open_id ?? undefined,
      senderUserId: r.sender_user_id ?? undefined,
      text: r.text ?? undefined,
      acceptedAt: r.accepted_at,
      ...(r.mentions === null ? {} : { mentions: mentionsSchema.parse(JSON.parse(r.mentions)) }),
    }));
  }

  isOpen(): boolean {
    return !this.closed && this.db.open;
  }

  /** Resolves once nothing touches the database's files any more (the checkpoint worker has let go too). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
    await this.checkpointer?.stop();
  }

  private pruneNow(now: number): void {
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    this.stmts.prune.run(now - this.options.seenTtlMs);
    this.history.prune(now);
    this.progress.prune(now);
    this.watches.prune(now);
    this.sends.prune(now);
  }
}
