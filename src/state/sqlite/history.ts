/**
 * The snapshots of each batch message: at least a minute apart, and the
 * latest (see HISTORY_STEP_MS), kept 30 days, read back as the first one and
 * the latest SERIES_LATEST, so neither the table nor a query grows with how
 * often people ask.
 */
import type Database from 'better-sqlite3';
import { HISTORY_KEEP_MS, HISTORY_STEP_MS, SERIES_LATEST } from '../../domain/rules.js';
import type { Snapshot } from '../../domain/types.js';

interface Row {
  batch_id: string;
  read_count: number;
  total_count: number;
  taken_at: number;
}

/**
 * A series' newest two rows, newest first: the newest was kept only for being
 * the latest if it came within HISTORY_STEP_MS of the one before it, so the
 * row about to be recorded takes its place.
 */
export function dropCrowdedLatest(
  [latest, before]: Array<{ rowid: number; taken_at: number }>,
  drop: (rowid: number) => void,
): void {
  if (latest && before && latest.taken_at - before.taken_at < HISTORY_STEP_MS) drop(latest.rowid);
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
      lastTwo: db.prepare<[string], { rowid: number; taken_at: number }>(
        'SELECT rowid, taken_at FROM snapshots WHERE batch_id = ? ORDER BY taken_at DESC, rowid DESC LIMIT 2',
      ),
      drop: db.prepare<[number]>('DELETE FROM snapshots WHERE rowid = ?'),
      first: db.prepare<[string, number], Row>(
        'SELECT batch_id, read_count, total_count, taken_at FROM snapshots WHERE batch_id = ? AND taken_at >= ? ORDER BY taken_at, rowid LIMIT 1',
      ),
      latest: db.prepare<[string, number, number], Row>(
        'SELECT batch_id, read_count, total_count, taken_at FROM snapshots WHERE batch_id = ? AND taken_at >= ? ORDER BY taken_at DESC, rowid DESC LIMIT ?',
      ),
      prune: db.prepare<[number]>('DELETE FROM snapshots WHERE taken_at < ?'),
    };
  }

  record(s: Snapshot, askedBy?: string): void {
    dropCrowdedLatest(this.stmts.lastTwo.all(s.batchId), (rowid) => this.stmts.drop.run(rowid));
    this.stmts.insert.run(s.batchId, s.readCount, s.totalCount, s.takenAt, askedBy ?? null);
  }

  /** The first snapshot of the last 30 days and the latest SERIES_LATEST, oldest first. */
  series(batchId: string, now: number): Snapshot[] {
    const since = now - HISTORY_KEEP_MS;
    const latest = this.stmts.latest.all(batchId, since, SERIES_LATEST).reverse();
    const first = this.stmts.first.get(batchId, since);
    const rows = first && latest[0] && first.taken_at < latest[0].taken_at ? [first, ...latest] : latest;
    return rows.map((r) => ({
      batchId: r.batch_id,
      readCount: r.read_count,
      totalCount: r.total_count,
      takenAt: r.taken_at,
    }));
  }

  prune(now: number): void {
    this.stmts.prune.run(now - HISTORY_KEEP_MS);
  }
}
