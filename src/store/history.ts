/** Every snapshot the bot fetched: batch id, counts, when, and who asked. */
import type Database from 'better-sqlite3';
import type { Snapshot } from '../domain/types.js';

/** Feishu only answers for batch messages of the last 30 days; older history has no use. */
export const HISTORY_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

interface Row {
  batch_id: string;
  read_count: number;
  total_count: number;
  taken_at: number;
}

export class SnapshotHistory {
  private readonly stmts;

  constructor(db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS snapshots (
        batch_id TEXT NOT NULL,
        read_count INTEGER NOT NULL,
        total_count INTEGER NOT NULL,
        taken_at INTEGER NOT NULL,
        asked_by TEXT
      );
      CREATE INDEX IF NOT EXISTS snapshots_by_batch ON snapshots (batch_id, taken_at);
    `);
    this.stmts = {
      insert: db.prepare<[string, number, number, number, string | null]>(
        'INSERT INTO snapshots VALUES (?, ?, ?, ?, ?)',
      ),
      since: db.prepare<[string, number], Row>(
        'SELECT batch_id, read_count, total_count, taken_at FROM snapshots WHERE batch_id = ? AND taken_at >= ? ORDER BY taken_at, rowid',
      ),
      prune: db.prepare<[number]>('DELETE FROM snapshots WHERE taken_at < ?'),
    };
  }

  record(s: Snapshot, askedBy?: string): void {
    this.stmts.insert.run(s.batchId, s.readCount, s.totalCount, s.takenAt, askedBy ?? null);
  }

  /** Snapshots of the last 30 days, oldest first. */
  series(batchId: string, now: number): Snapshot[] {
    return this.stmts.since.all(batchId, now - HISTORY_DAYS * DAY_MS).map((r) => ({
      batchId: r.batch_id,
      readCount: r.read_count,
      totalCount: r.total_count,
      takenAt: r.taken_at,
    }));
  }

  prune(now: number): void {
    this.stmts.prune.run(now - HISTORY_DAYS * DAY_MS);
  }
}
