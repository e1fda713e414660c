import Database from 'better-sqlite3';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEEN_TTL_MS, Store } from '../../../src/state/sqlite/store.js';
import type { JournalEntry } from '../../../src/domain/types.js';

const entry = (messageId: string, acceptedAt = 1): JournalEntry => ({
  messageId,
  eventId: `ev_${messageId}`,
  chatId: 'oc_1',
  chatType: 'group',
  senderOpenId: 'ou_1',
  text: '/reads bm_a',
  acceptedAt,
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'reads-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Store', () => {
  it('accepts an event once: a key seen before changes nothing', () => {
    const store = Store.open({ path: ':memory:', now: () => 0, seenTtlMs: SEEN_TTL_MS });
    expect(store.accept(['event:1', 'message:a'], entry('a'))).toBe(true);
    expect(store.accept(['event:2', 'message:a'], entry('a'))).toBe(false);
    expect(store.accept(['event:1', 'message:b'], entry('b'))).toBe(false);
    // A refusal alone also rolls back its keys: event:2 is still new
    expect(store.accept(['event:2', 'message:c'], entry('c'))).toBe(true);
    expect(store.pending().map((e) => e.messageId)).toEqual(['a', 'c']);
  });

  it('accepts many in one commit, each as if alone: a duplicate rolls back only its own keys', () => {
    const store = Store.open({ path: ':memory:', now: () => 0, seenTtlMs: SEEN_TTL_MS });
    store.accept(['event:0', 'message:old'], entry('old'));
    const results = store.acceptAll([
      { keys: ['event:1', 'message:a'], entry: entry('a') },
      { keys: ['event:2', 'message:a'], entry: entry('a') }, // the same message, redelivered in the same batch
      { keys: ['event:3', 'message:old'], entry: entry('old') }, // seen before the batch
      { keys: ['event:4'] },
    ]);
    expect(results).toEqual([true, false, false, true]);
    // event:3 was rolled back with its request, so it is still new
    expect(store.accept(['event:3', 'message:c'], entry('c'))).toBe(true);
    expect(store.pending().map((e) => e.messageId)).toEqual(['old', 'a', 'c']);
  });

  it('journals until complete, and keeps both across a reopen of the same file', async () => {
    const path = join(dir, 'nested', 'folder', 'bot.db'); // a missing folder is created
    const first = Store.open({ path, now: () => 0, seenTtlMs: SEEN_TTL_MS });
    first.accept(['event:1', 'message:a'], entry('a', 1));
    first.accept(['event:2', 'message:b'], entry('b', 2));
    first.accept(['event:3', 'message:c']); // seen, not for the bot
    first.complete('a');
    await first.close();
    const again = Store.open({ path, now: () => 1000, seenTtlMs: SEEN_TTL_MS });
    expect(again.pending()).toEqual([entry('b', 2)]);
    expect(again.accept(['event:1', 'message:a'], entry('a'))).toBe(false); // redelivery after a restart
    expect(again.accept(['event:3', 'message:c'])).toBe(false);
    await again.close();
  });

  it('keeps a waiting command’s wait (since when, tries, its built card) across a reopen; answered, it is gone', async () => {
    const path = join(dir, 'waiting.db');
    const first = Store.open({ path, now: () => 0, seenTtlMs: SEEN_TTL_MS });
    first.accept(['event:1'], entry('a', 1));
    first.accept(['event:2'], entry('b', 2));
    const waiting = { ...entry('a', 1), waitingSince: 5, attempts: 2, card: { schema: '2.0' }, takenAt: 4 };
    first.wait(waiting);
    first.complete('b');
    first.wait({ ...entry('b', 2), attempts: 1 }); // answered meanwhile: stays forgotten
    await first.close();
    const again = Store.open({ path, now: () => 0, seenTtlMs: SEEN_TTL_MS });
    expect(again.pending()).toEqual([waiting]);
    await again.close();
    expect(() => again.wait(waiting)).not.toThrow(); // a wait noted while shutting down stays as it was
  });

  it('opens a file made before commands could wait, adding what the journal needs for it', async () => {
    const path = join(dir, 'old.db');
    const old = new Database(path);
    old.exec(`CREATE TABLE journal (message_id TEXT PRIMARY KEY, event_id TEXT NOT NULL, chat_id TEXT NOT NULL,
      chat_type TEXT NOT NULL, sender_open_id TEXT, sender_user_id TEXT, text TEXT, accepted_at INTEGER NOT NULL)`);
    old
      .prepare('INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run('a', 'ev_a', 'oc_1', 'p2p', null, null, 'x', 1);
    old.close();
    const store = Store.open({ path, now: () => 0, seenTtlMs: SEEN_TTL_MS });
    expect(store.pending().map((e) => [e.messageId, e.attempts])).toEqual([['a', undefined]]);
    store.wait({ ...store.pending()[0]!, attempts: 1 });
    expect(store.pending()[0]!.attempts).toBe(1);
    await store.close();
  });

  it('forgets seen keys after their lifetime', () => {
    let now = 0;
    const store = Store.open({ path: ':memory:', now: () => now, seenTtlMs: 1000 });
    store.accept(['event:1']);
    now = 120_000;
    store.accept(['event:other']); // prunes
    expect(store.accept(['event:1'])).toBe(true);
  });

  it('refuses a corrupt file with a clear message', () => {
    const path = join(dir, 'bot.db');
    writeFileSync(path, 'this is not a database, just some text '.repeat(200));
    expect(() => Store.open({ path, now: () => 0, seenTtlMs: 1 })).toThrow(
      /Cannot open the store at .*bot\.db.*SQLite/,
    );
  });

  it('refuses an unwritable place with a clear message', () => {
    if (process.getuid?.() === 0) {
      // root can write anywhere: a path under a regular file cannot be created by anyone
      writeFileSync(join(dir, 'file'), '');
      expect(() => Store.open({ path: join(dir, 'file', 'bot.db'), now: () => 0, seenTtlMs: 1 })).toThrow(
        /Cannot open the store.*BOT_DB_PATH/,
      );
    } else {
      chmodSync(dir, 0o500);
      expect(() => Store.open({ path: join(dir, 'sub', 'bot.db'), now: () => 0, seenTtlMs: 1 })).toThrow(
        /Cannot open the store/,
      );
    }
  });
});

describe('history and watches', () => {
  it('records snapshots and returns the last 30 days, oldest first', () => {
    const day = 24 * 3600_000;
    const now = 100 * day;
    const store = Store.open({ path: ':memory:', now: () => now, seenTtlMs: SEEN_TTL_MS });
    const snap = (at: number, read: number) => ({ batchId: 'bm_a', readCount: read, totalCount: 10, takenAt: at });
    store.history.record(snap(now - 31 * day, 1), 'ou_1');
    store.history.record(snap(now - 2 * day, 2));
    store.history.record(snap(now - day, 3), 'watch');
    store.history.record({ ...snap(now, 9), batchId: 'bm_other' });
    expect(store.history.series('bm_a', now).map((s) => s.readCount)).toEqual([2, 3]);
  });

  it('keeps watches across a reopen; ending one is once only', async () => {
    const path = join(dir, 'w.db');
    const first = Store.open({ path, now: () => 0, seenTtlMs: SEEN_TTL_MS });
    const w = {
      id: 'w1',
      batchId: 'bm_a',
      chatId: 'oc',
      cardMessageId: 'om_card',
      startedBy: 'ou_1',
      startedAt: 0,
      until: 1000,
      intervalMs: 100,
      nextAt: 100,
    };
    first.watches.add(w);
    first.watches.reschedule('w1', 200);
    await first.close();
    const again = Store.open({ path, now: () => 0, seenTtlMs: SEEN_TTL_MS });
    expect(again.watches.active()).toEqual([{ ...w, nextAt: 200 }]);
    expect(again.watches.end('w1', 'stopped', 150, 'ou_boss')).toBe(true);
    expect(again.watches.end('w1', 'time_up', 160)).toBe(false);
    expect(again.watches.active()).toEqual([]);
    expect(again.watches.get('w1')).toMatchObject({ endedReason: 'stopped', endedBy: 'ou_boss', endedAt: 150 });
    await again.close();
  });
});
