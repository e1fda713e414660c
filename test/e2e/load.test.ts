/** Load and abuse: past the caps, people get a card saying when to retry — and nothing is run for them. */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cardText } from '../support/cards.js';
import { APP, startHarness, type Harness } from '../support/harness.js';
import { GatedOpenApi } from '../support/gatedOpenApi.js';
import { until } from '../support/until.js';

let fake: GatedOpenApi;
let h: Harness;
beforeEach(async () => {
  // Calls for ids the test holds wait at the gate: those commands cannot finish until it lets them.
  fake = new GatedOpenApi({ ...APP, fallback: () => ({ kind: 'counts', read: 1, total: 2 }) });
  await fake.listen();
  h = await startHarness({
    limits: { maxPending: 3, maxPendingPerChat: 2, userCommandsPerMinute: 3 },
    existingFake: fake,
  });
});
afterEach(async () => {
  await h.close();
  await fake.close();
});

const texts = async (ids: string[]) => {
  await h.bot.idle();
  return ids.map((id) => {
    const replies = h.fake.repliesTo(id);
    expect(replies.length).toBeLessThanOrEqual(1);
    return replies[0] ? cardText(replies[0].card) : undefined;
  });
};

it('caps the work waiting in one chat; other chats go on', async () => {
  for (const i of [1, 2, 3]) fake.hold(`bm_slow_${i}`);
  const inGroup = [];
  for (const i of [1, 2, 3]) inGroup.push(await h.send(`/reads bm_slow_${i}`, { chatId: 'oc_busy' }));
  const elsewhere = await h.send('/reads bm_slow_4', { chatId: 'oc_quiet' });
  for (const i of [1, 2, 3]) fake.release(`bm_slow_${i}`);
  const [a, b, c, d] = await texts([...inGroup.map((s) => s.messageId), elsewhere.messageId]);
  expect([a, b, d].every((t) => t?.includes('50.0%'))).toBe(true);
  expect(c).toContain('This chat already has 2 queries waiting');
  expect(h.fake.readUserCalls).toHaveLength(3);
});

it('answers "busy, try again shortly" once the whole queue is full', async () => {
  for (const i of [1, 2, 3, 4]) fake.hold(`bm_slow_${i}`);
  const sent = [];
  for (const i of [1, 2, 3, 4]) sent.push(await h.send(`/reads bm_slow_${i}`, { chatId: `oc_${i}` }));
  for (const i of [1, 2, 3, 4]) fake.release(`bm_slow_${i}`);
  const answers = await texts(sent.map((s) => s.messageId));
  expect(answers.slice(0, 3).every((t) => t?.includes('50.0%'))).toBe(true);
  expect(answers[3]).toContain('Too many queries are queued right now');
  expect(h.fake.readUserCalls).toHaveLength(3);
});

it('limits one person’s commands per minute, telling them when to retry (once, not on every message)', async () => {
  const senderOpenId = 'ou_flooder';
  const sent = [];
  for (let i = 0; i < 5; i++) {
    sent.push(await h.send(`/reads bm_flood_${i}`, { chatId: `oc_f${i}`, senderOpenId }));
    await h.bot.idle(); // one at a time, so the queue's own caps play no part
  }
  const other = await h.send('/reads bm_calm', { chatId: 'oc_f0', senderOpenId: 'ou_calm' });
  const answers = await texts([...sent.map((s) => s.messageId), other.messageId]);
  expect(answers.slice(0, 3).every((t) => t?.includes('50.0%'))).toBe(true);
  expect(answers[3]).toMatch(/at most 3 commands a minute[\s\S]*Try again in \d+ s/);
  expect(answers[4]).toBeUndefined(); // told moments ago: no second card
  expect(answers[5]).toContain('50.0%');
  expect(h.fake.readUserCalls).toHaveLength(4); // nothing ran for the refused two
});

describe('a backlog', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'backlog-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The fake behind a gate, counting as the other tests' fake does. */
  const gatedFake = async () => {
    const gated = new GatedOpenApi({ ...APP, fallback: () => ({ kind: 'counts', read: 1, total: 2 }) });
    await gated.listen();
    return gated;
  };

  it('waits its turn: only so many commands run at once, and all are answered in the order they came', async () => {
    // Every call waits at the gate until the test lets it through: no command can finish while the six are sent.
    const gated = await gatedFake();
    const q = await startHarness({ runningCommands: 2, existingFake: gated });
    const ids = [0, 1, 2, 3, 4, 5].map((i) => `bm_backlog_${i}`);
    const running = () => ids.filter((id) => gated.waitingFor(id) > 0);
    try {
      for (const id of ids) gated.hold(id);
      const sent = [];
      for (const [i, id] of ids.entries()) sent.push(await q.send(`/reads ${id}`, { chatId: `oc_b${i}` }));
      await until(() => running().length >= 2);
      await new Promise((r) => setTimeout(r, 100)); // room for a third call, were one wrongly started
      expect(running()).toEqual(['bm_backlog_0', 'bm_backlog_1']);
      // Each command that finishes lets the next one in, in the order they came.
      for (const [i, id] of ids.entries()) {
        gated.release(id);
        const next = ids.slice(i + 1, i + 3);
        await until(() => running().join() === next.join(), 10_000, `${next.join(' and ') || 'nothing'} to run`);
      }
      await q.bot.idle();
      expect(gated.readUserCalls.map((c) => c.batchId)).toEqual(ids);
      for (const s of sent) expect(cardText((await q.onlyReply(s.messageId)).card)).toContain('50.0%');
    } finally {
      await q.close();
      await gated.close();
    }
  });

  it('left waiting at a shutdown stays journaled, and the restart answers each command once', async () => {
    // The first call waits at the gate, so the shutdown comes while it runs and the other three wait.
    const fake = await gatedFake();
    fake.hold('bm_left_0');
    const dbPath = join(dir, 'bot.db');
    const first = await startHarness({ runningCommands: 1, existingFake: fake, dbPath });
    const sent = [];
    for (let i = 0; i < 4; i++) sent.push(await first.send(`/reads bm_left_${i}`, { chatId: `oc_l${i}` }));
    await until(() => fake.waitingFor('bm_left_0') === 1);
    const closing = first.close(); // the running command finishes; three never started
    fake.release('bm_left_0');
    await closing;
    expect(fake.replies).toHaveLength(1);

    const second = await startHarness({ runningCommands: 1, existingFake: fake, dbPath });
    try {
      await second.bot.idle();
      for (const s of sent) expect(fake.repliesTo(s.messageId)).toHaveLength(1);
      expect(fake.readUserCalls).toHaveLength(4);
    } finally {
      await second.close();
      await fake.close();
    }
  });
});
