/**
 * Batch messages written through the bot. What a send is looked up by has a
 * column of its own; the rest is JSON. One process uses the file, so a
 * transaction makes each change of state once.
 */
import type Database from 'better-sqlite3';
import type { Send, SendState } from '../../domain/send.js';
import type { SendChange } from '../sharedState.js';
import { definedOnly, keepFor, leavesDraft, sendSchema } from '../sendRecord.js';

interface Row {
  id: string;
  state: SendState;
  sender_open_id: string;
  batch_id: string | null;
  created_at: number;
  keep_until: number;
  /** JSON of the fields without a column. */
  rest: string;
}

type Columns = [string, SendState, string, string | null, number, number, string];

const fromRow = (r: Row): Send =>
  sendSchema.parse({
    ...(JSON.parse(r.rest) as object),
    id: r.id,
    state: r.state,
    senderOpenId: r.sender_open_id,
    batchId: r.batch_id ?? undefined,
    createdAt: r.created_at,
  });

function toColumns(send: Send, keepUntil: number): Columns {
  const { id, state, senderOpenId, batchId, createdAt, ...rest } = send;
  return [id, state, senderOpenId, batchId ?? null, createdAt, keepUntil, JSON.stringify(rest)];
}

export class SendStore {
  private readonly stmts;
  private readonly advanceTxn: (id: string, from: readonly SendState[], change: SendChange) => Send | undefined;

  constructor(
    db: Database.Database,
    private readonly now: () => number,
  ) {
    // Created when missing, so a file made before sends existed opens and gains the table.
    db.exec(`
      CREATE TABLE IF NOT EXISTS sends (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        sender_open_id TEXT NOT NULL,
        batch_id TEXT,
        created_at INTEGER NOT NULL,
        keep_until INTEGER NOT NULL,
        rest TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS sends_by_sender ON sends (sender_open_id, created_at);
      CREATE INDEX IF NOT EXISTS sends_by_batch ON sends (batch_id) WHERE batch_id IS NOT NULL;
      CREATE INDEX IF NOT EXISTS sends_by_state ON sends (state, created_at);
    `);
    this.stmts = {
      insert: db.prepare<Columns>('INSERT OR IGNORE INTO sends VALUES (?, ?, ?, ?, ?, ?, ?)'),
      // The sender and creation time stay as created (SendChange).
      update: db.prepare<[SendState, string | null, number, string, string]>(
        'UPDATE sends SET state = ?, batch_id = ?, keep_until = ?, rest = ? WHERE id = ?',
      ),
      get: db.prepare<[string], Row>('SELECT * FROM sends WHERE id = ?'),
      byBatchId: db.prepare<[string], Row>(
        'SELECT * FROM sends WHERE batch_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
      ),
      // The states left out as one JSON array, as inStates takes them.
      bySender: db.prepare<[string, string, number], Row>(
        `SELECT * FROM sends WHERE sender_open_id = ? AND state NOT IN (SELECT value FROM json_each(?))
         ORDER BY created_at DESC, rowid DESC LIMIT ?`,
      ),
      // The states as one JSON array: one statement for any number of them.
      inStates: db.prepare<[string], Row>(
        'SELECT * FROM sends WHERE state IN (SELECT value FROM json_each(?)) ORDER BY created_at, rowid',
      ),
      prune: db.prepare<[number]>('DELETE FROM sends WHERE keep_until <= ?'),
    };
    this.advanceTxn = db.transaction((id: string, from: readonly SendState[], change: SendChange) => {
      const row = this.stmts.get.get(id);
      if (!row || !from.includes(row.state)) return undefined;
      const next: Send = { ...fromRow(row), ...definedOnly(change) };
      const keepUntil = leavesDraft(row.state, next.state) ? this.now() + keepFor(next.state) : row.keep_until;
      const [, state, , batchId, , , rest] = toColumns(next, keepUntil);
      this.stmts.update.run(state, batchId, keepUntil, rest, id);
      return next;
    });
  }

  create(send: Send): boolean {
    return this.stmts.insert.run(...toColumns(send, this.now() + keepFor(send.state))).changes > 0;
  }

  get(id: string): Send | undefined {
    const row = this.stmts.get.get(id);
    return row ? fromRow(row) : undefined;
  }

  byBatchId(batchId: string): Send | undefined {
    const row = this.stmts.byBatchId.get(batchId);
    return row ? fromRow(row) : undefined;
  }

  /** Read, checked and written in one transaction: two presses at once move it once. */
  advance(id: string, from: readonly SendState[], change: SendChange): Send | undefined {
    return this.advanceTxn(id, from, change);
  }

  bySender(senderOpenId: string, limit: number, except: readonly SendState[] = []): Send[] {
    return this.stmts.bySender.all(senderOpenId, JSON.stringify(except), limit).map(fromRow);
  }

  inStates(states: readonly SendState[]): Send[] {
    return this.stmts.inStates.all(JSON.stringify(states)).map(fromRow);
  }

  prune(now: number): void {
    this.stmts.prune.run(now);
  }
}
