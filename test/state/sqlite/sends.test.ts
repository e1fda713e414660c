/** Sends in the embedded store: how long they are kept, and a file made before they existed. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { noRecipients, type Send } from '../../../src/domain/send.js';
import { SEEN_TTL_MS, Store } from '../../../src/state/sqlite/store.js';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const send = (id: string, o: Partial<Send> = {}): Send => ({
  id,
  state: 'draft',
  senderOpenId: 'ou_writer',
  chatId: 'oc_1',
  text: `hello from ${id}`,
  recipients: { ...noRecipients(), departments: ['od-1'] },
  unusable: [],
  createdAt: 0,
  ...o,
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'reads-sends-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('forgets a draft never confirmed after a day, and a send 30 days after it left its draft', async () => {
  let now = 0;
  const store = Store.open({ path: ':memory:', now: () => now, seenTtlMs: SEEN_TTL_MS });
  let event = 0;
  /** The store prunes as it is used: when it takes an event. */
  const at = (t: number) => {
    now = t;
    store.accept([`event:${++event}`]);
  };
  store.sends.create(send('forgotten draft'));
  store.sends.create(send('confirmed late'));
  store.sends.create(send('created queued', { state: 'queued' }));
  at(23 * HOUR);
  store.sends.advance('confirmed late', ['draft'], { state: 'queued', confirmedAt: now });
  at(DAY + HOUR);
  expect(store.sends.get('forgotten draft')).toBeUndefined();
  expect(store.sends.inStates(['queued']).map((s) => s.id)).toEqual(['confirmed late', 'created queued']);
  at(30 * DAY + HOUR);
  expect(store.sends.bySender('ou_writer', 10).map((s) => s.id)).toEqual(['confirmed late']);
  at(30 * DAY + 23 * HOUR + 1);
  expect(store.sends.get('confirmed late')).toBeUndefined();
  await store.close();
});

it('opens a file made before sends, and keeps sends across a reopen', async () => {
  const path = join(dir, 'old.db');
  await Store.open({ path, now: () => 0, seenTtlMs: SEEN_TTL_MS }).close();
  const old = new Database(path); // as the version before sends left it
  old.exec('DROP TABLE sends');
  old.close();
  const first = Store.open({ path, now: () => 0, seenTtlMs: SEEN_TTL_MS });
  expect(first.sends.create(send('s1'))).toBe(true);
  first.sends.advance('s1', ['draft'], { state: 'sent', batchId: 'bm_1' });
  await first.close();
  const again = Store.open({ path, now: () => 0, seenTtlMs: SEEN_TTL_MS });
  expect(again.sends.byBatchId('bm_1')).toEqual({ ...send('s1'), state: 'sent', batchId: 'bm_1' });
  await again.close();
});
