import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Checkpointer } from '../../src/store/checkpointer.js';
import { SEEN_TTL_MS, Store } from '../../src/store/store.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'checkpoint-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('moves committed writes from the log into the database file off the event loop', async () => {
  const path = join(dir, 'bot.db');
  const store = Store.open({ path, now: () => Date.now(), seenTtlMs: SEEN_TTL_MS });
  try {
    const before = statSync(path).size;
    for (let i = 0; i < 2000; i++) store.accept([`event:${i}`, `message:om_${i}`]);
    // Commits on the main connection no longer checkpoint, so only the worker can grow the file.
    expect(statSync(path).size).toBe(before);
    await until(() => statSync(path).size > before, 5_000);
  } finally {
    store.close();
  }
});

it('reports a worker that cannot run, so the store can fall back to SQLite’s own checkpoints', async () => {
  const failed = await new Promise<Error>((resolve) => new Checkpointer(join(dir, 'missing', 'bot.db'), resolve));
  expect(failed.message).toMatch(/directory does not exist|unable to open/i);
});
