/** Who was greeted in the one-to-one chat, and when: a person is greeted again only GREET_AGAIN_MS later. */
import type Database from 'better-sqlite3';
import { GREET_AGAIN_MS } from '../../domain/rules.js';

export class GreetingStore {
  private readonly markTxn: (openId: string, now: number) => boolean;
  private readonly forget;

  constructor(db: Database.Database) {
    db.exec(
      'CREATE TABLE IF NOT EXISTS greetings (open_id TEXT PRIMARY KEY, greeted_at INTEGER NOT NULL) WITHOUT ROWID',
    );
    const last = db.prepare<[string], { greeted_at: number }>('SELECT greeted_at FROM greetings WHERE open_id = ?');
    const mark = db.prepare<[string, number]>('INSERT OR REPLACE INTO greetings VALUES (?, ?)');
    this.forget = db.prepare<[string]>('DELETE FROM greetings WHERE open_id = ?');
    // Checked and marked in one transaction: two entries at once greet once.
    this.markTxn = db.transaction((openId: string, now: number) => {
      const at = last.get(openId)?.greeted_at;
      if (at !== undefined && now - at < GREET_AGAIN_MS) return false;
      mark.run(openId, now);
      return true;
    });
  }

  mark(openId: string, now: number): boolean {
    return this.markTxn(openId, now);
  }

  release(openId: string): void {
    this.forget.run(openId);
  }
}
