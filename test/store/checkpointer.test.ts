import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Checkpointer } from '../../src/store/checkpointer.js';
import { SEEN_TTL_MS, Store } from '../../src/store/store.js';
import { until } from '../support/until.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'checkpoint-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('moves committed writes from the log into the database file off the event loop', async () => {
  const path = join(dir, 'bot.db');
  const store = Store.open({ path, now: () => Date.now(), seenTtlMs: SEEN_TTL_MS });
  try {
    const before = statSync(path).size;
    // ~100 KB of rows, written well within the worker's first second.
    for (let i = 0; i < 1000; i++) store.accept([`event:${i}`, `message:om_${i}`]);
    // Commits on the main connection no longer checkpoint: the rows are only in the log so far.
    expect(statSync(path).size).toBe(before);
    await until(() => statSync(path).size > before + 50_000, 5_000, 'the worker to checkpoint the rows');
  } finally {
    store.close();
  }
});

it('reports a worker that cannot run, so the store can fall back to SQLite’s own checkpoints', async () => {
  const failed = await new Promise<Error>((resolve) => new Checkpointer(join(dir, 'missing', 'bot.db'), resolve));
  expect(failed.message).toMatch(/directory does not exist|unable to open/i);
});
