/** Watches: cards that keep updating themselves. Stored, so a restart resumes them. */
import type Database from 'better-sqlite3';
import { watchRefusal } from '../../domain/rules.js';
import type { Watch, WatchEnd, WatchRefusal } from '../../domain/types.js';

interface Row {
  id: string;
  batch_id: string;
  chat_id: string;
  card_message_id: string;
  started_by: string;
  started_at: number;
  until: number;
  interval_ms: number;
  next_at: number;
  ended_reason: WatchEnd | null;
  ended_by: string | null;
  ended_at: number | null;
}

const fromRow = (r: Row): Watch => ({
  id: r.id,
  batchId: r.batch_id,
  chatId: r.chat_id,
  cardMessageId: r.card_message_id,
  startedBy: r.started_by,
  startedAt: r.started_at,
  until: r.until,
  intervalMs: r.interval_ms,
  nextAt: r.next_at,
  endedReason: r.ended_reason ?? undefined,
  endedBy: r.ended_by ?? undefined,
  endedAt: r.ended_at ?? undefined,
});

export class WatchStore {
  private readonly stmts;
  private readonly reserveTxn: (w: Watch) => WatchRefusal | undefined;

  constructor(db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS watches (
        id TEXT PRIMARY KEY,
        batch_id TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        card_message_id TEXT NOT NULL,
        started_by TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        until INTEGER NOT NULL,
        interval_ms INTEGER NOT NULL,
        next_at INTEGER NOT NULL,
        ended_reason TEXT,
        ended_by TEXT,
        ended_at INTEGER
      );
    `);
    this.stmts = {
      insert: db.prepare<[string, string, string, string, string, number, number, number, number]>(
        'INSERT OR REPLACE INTO watches (id, batch_id, chat_id, card_message_id, started_by, started_at, until, interval_ms, next_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      attach: db.prepare<[string, string]>('UPDATE watches SET card_message_id = ? WHERE id = ?'),
      get: db.prepare<[string], Row>('SELECT * FROM watches WHERE id = ?'),
      active: db.prepare<[], Row>('SELECT * FROM watches WHERE ended_reason IS NULL ORDER BY next_at'),
      reschedule: db.prepare<[number, string]>('UPDATE watches SET next_at = ? WHERE id = ? AND ended_reason IS NULL'),
      end: db.prepare<[WatchEnd, string | null, number, string]>(
        'UPDATE watches SET ended_reason = ?, ended_by = ?, ended_at = ? WHERE id = ? AND ended_reason IS NULL',
      ),
      // Feishu lets a card be updated for 14 days: an ended watch older than that has nothing left to show.
      prune: db.prepare<[number]>('DELETE FROM watches WHERE ended_reason IS NOT NULL AND ended_at < ?'),
    };
    this.reserveTxn = db.transaction((w: Watch) => {
      const refusal = watchRefusal(this.active(), w);
      if (!refusal) this.add(w);
      return refusal;
    });
  }

  add(w: Watch): void {
    this.stmts.insert.run(
      w.id,
      w.batchId,
      w.chatId,
      w.cardMessageId,
      w.startedBy,
      w.startedAt,
      w.until,
      w.intervalMs,
      w.nextAt,
    );
  }

  /** Checks the caps and adds the watch in one transaction. */
  reserve(w: Watch): WatchRefusal | undefined {
    return this.reserveTxn(w);
  }

  attach(id: string, cardMessageId: string): void {
    this.stmts.attach.run(cardMessageId, id);
  }

  get(id: string): Watch | undefined {
    const row = this.stmts.get.get(id);
    return row ? fromRow(row) : undefined;
  }

  active(): Watch[] {
    return this.stmts.active.all().map(fromRow);
  }

  reschedule(id: string, nextAt: number): void {
    this.stmts.reschedule.run(nextAt, id);
  }

  prune(now: number): void {
    this.stmts.prune.run(now - 14 * 24 * 60 * 60 * 1000);
  }

  /** False when it had already ended (someone else stopped it first). */
  end(id: string, reason: WatchEnd, at: number, by?: string): boolean {
    return this.stmts.end.run(reason, by ?? null, at, id).changes > 0;
  }
}
