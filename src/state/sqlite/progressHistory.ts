/**
 * The delivery funnels (get_progress) of each batch message, a series apart
 * from the read counts: kept like them — at least a minute apart and the
 * latest (HISTORY_STEP_MS), 30 days — and read back as the latest SERIES_LATEST.
 */
import type Database from 'better-sqlite3';
import { HISTORY_KEEP_MS, SERIES_LATEST } from '../../domain/rules.js';
import { dropCrowdedLatest } from './history.js';
import type { Progress } from '../../domain/types.js';

interface Row {
  batch_id: string;
  valid_count: number;
  delivered_count: number;
  read_count: number;
  recall_count: number;
  recalled: number;
  taken_at: number;
}

export class ProgressHistory {
  private readonly stmts;

  constructor(db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS progress (
        batch_id TEXT NOT NULL,
        valid_count INTEGER NOT NULL,
        delivered_count INTEGER NOT NULL,
        read_count INTEGER NOT NULL,
        recall_count INTEGER NOT NULL,
        recalled INTEGER NOT NULL,
        taken_at INTEGER NOT NULL,
        asked_by TEXT
      );
      CREATE INDEX IF NOT EXISTS progress_by_batch ON progress (batch_id, taken_at);
    `);
    this.stmts = {
      insert: db.prepare<[string, number, number, number, number, number, number, string | null]>(
        'INSERT INTO progress VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      lastTwo: db.prepare<[string], { rowid: number; taken_at: number }>(
        'SELECT rowid, taken_at FROM progress WHERE batch_id = ? ORDER BY taken_at DESC, rowid DESC LIMIT 2',
      ),
      drop: db.prepare<[number]>('DELETE FROM progress WHERE rowid = ?'),
      latest: db.prepare<[string, number, number], Row>(
        'SELECT * FROM progress WHERE batch_id = ? AND taken_at >= ? ORDER BY taken_at DESC, rowid DESC LIMIT ?',
      ),
      prune: db.prepare<[number]>('DELETE FROM progress WHERE taken_at < ?'),
    };
  }

  record(p: Progress, askedBy?: string): void {
    dropCrowdedLatest(this.stmts.lastTwo.all(p.batchId), (rowid) => this.stmts.drop.run(rowid));
    this.stmts.insert.run(
      p.batchId,
      p.validCount,
      p.deliveredCount,
      p.readCount,
      p.recallCount,
      p.recalled ? 1 : 0,
      p.takenAt,
      askedBy ?? null,
    );
  }

  series(batchId: string, now: number): Progress[] {
    return this.stmts.latest
      .all(batchId, now - HISTORY_KEEP_MS, SERIES_LATEST)
      .reverse()
      .map((r) => ({
        batchId: r.batch_id,
        validCount: r.valid_count,
        deliveredCount: r.delivered_count,
        readCount: r.read_count,
        recallCount: r.recall_count,
        recalled: r.recalled === 1,
        takenAt: r.taken_at,
      }));
  }

  prune(now: number): void {
    this.stmts.prune.run(now - HISTORY_KEEP_MS);
  }
}
