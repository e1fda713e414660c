import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Checkpointer } from '../../../src/state/sqlite/checkpointer.js';
import { SEEN_TTL_MS, Store } from '../../../src/state/sqlite/store.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'checkpoint-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('moves committed writes from the log into the database file off the event loop', async () => {
  const path = join(dir, 'bot.db');
  const store = Store.open({ path, now: () => Date.now(), seenTtlMs: SEEN_TTL_MS });
  try {
    const before = statSync(path).size;
    for (let i = 0; i < 1000; i++) store.accept([`event:${i}`, `message:om_${i}`]); // ~100 KB of rows
    // From here the event loop stays blocked: if the file grows now, another thread copied the rows into it.
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const deadline = Date.now() + 100_000; // the worker checkpoints every second
    while (statSync(path).size <= before + 50_000) {
      if (Date.now() > deadline) throw new Error('nothing copied the rows into the database file in 100 s');
      Atomics.wait(pause, 0, 0, 10);
    }
  } finally {
    await store.close();
  }
}, 120_000);

it('cuts a log that a burst grew back to nothing once a quiet second has passed, losing nothing', async () => {
  const path = join(dir, 'bot.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (x BLOB)');
  const insert = db.prepare('INSERT INTO t VALUES (?)');
  for (let i = 0; i < 300; i++) insert.run(Buffer.alloc(4096)); // a commit each: over a megabyte of log
  const logSize = () => statSync(`${path}-wal`).size;
  expect(logSize()).toBeGreaterThan(1_000_000);
  const checkpointer = new Checkpointer(
    path,
    (e) => {
      throw e;
    },
    { logLimitBytes: 100_000 },
  );
  try {
    const deadline = Date.now() + 100_000; // a look every second; the second look finds it quiet
    while (logSize() > 0) {
      if (Date.now() > deadline) throw new Error('the log was not cut in 100 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 300 });
  } finally {
    await checkpointer.stop();
    db.close();
  }
}, 120_000);

it('reports a worker that cannot run, so the store can fall back to SQLite’s own checkpoints', async () => {
  const failed = await new Promise<Error>((resolve) => new Checkpointer(join(dir, 'missing', 'bot.db'), resolve));
  expect(failed.message).toMatch(/directory does not exist|unable to open/i);
});

it('lets go of the database’s files before close() resolves: removed right after, none comes back', async () => {
  const path = join(dir, 'bot.db');
  const store = Store.open({ path, now: () => Date.now(), seenTtlMs: SEEN_TTL_MS });
  store.accept(['event:1']);
  await store.close();
  for (const file of readdirSync(dir)) rmSync(join(dir, file));
  await new Promise((resolve) => setTimeout(resolve, 500)); // a worker still starting up would open (create) the file
  expect(readdirSync(dir)).toEqual([]);
});
