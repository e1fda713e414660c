/**
 * Watches, driven by a fake clock over real HTTP: each of the three endings,
 * who may stop one, and a restart that resumes it from the same store file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOpenApi } from '../../src/demo/fakeOpenApi.js';
import { buttonValue, cardText } from '../support/cards.js';
import { FakeClock } from '../support/fakeClock.js';
import { APP, startHarness, type Harness } from '../support/harness.js';

const MINUTE = 60_000;

let clock: FakeClock;
let h: Harness;

beforeEach(async () => {
  clock = new FakeClock(Date.now());
  h = await startHarness({
    clock,
    fake: { chats: { oc_group: { ownerOpenId: 'ou_owner', managerOpenIds: ['ou_manager'] } } },
  });
});
afterEach(() => h.close());

/** Starts a watch from a chat message; returns the card message it updates. */
async function startWatch(harness: Harness, text: string, senderOpenId = 'ou_starter', chatId = 'oc_group') {
  const { messageId } = await harness.send(text, { senderOpenId, chatId });
  await harness.bot.idle();
  const [reply] = harness.fake.repliesTo(messageId);
  expect(reply).toBeDefined();
  return reply!;
}

/** Moves the clock on and waits for the updates it causes to reach Feishu. */
async function advance(harness: Harness, ms: number, expectPatches: number) {
  await clock.advance(ms);
  const deadline = Date.now() + 5000;
  while (harness.fake.patches.length < expectPatches && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
    await clock.advance(0);
  }
  await harness.bot.watcher.idle();
  expect(harness.fake.patches).toHaveLength(expectPatches);
}

const lastCard = (harness: Harness, messageId: string) => cardText(harness.fake.cardOf(messageId), 'en');

it('ends when everyone has read it', async () => {
  h.fake.setBatch('bm_w', [
    { kind: 'counts', read: 1, total: 3 },
    { kind: 'counts', read: 2, total: 3 },
    { kind: 'counts', read: 3, total: 3 },
  ]);
  const card = await startWatch(h, '/reads bm_w watch 30m every 1m');
  expect(cardText(card.card, 'en')).toContain('Watching: updates every 1 min until');
  expect(buttonValue(card.card, 'Stop watching')).toMatchObject({ a: 'stop_watch' });
  await advance(h, MINUTE, 1);
  expect(lastCard(h, card.messageId)).toContain('Read rate: 66.7%');
  await advance(h, MINUTE, 2);
  expect(lastCard(h, card.messageId)).toContain('Watch ended: everyone has read it.');
  await advance(h, 10 * MINUTE, 2); // no more updates
  expect(h.fake.readUserCalls).toHaveLength(3);
});

it('ends when its time is up', async () => {
  h.fake.setBatch('bm_t', { kind: 'counts', read: 1, total: 3 });
  const card = await startWatch(h, '/reads bm_t watch 2m every 1m');
  await advance(h, MINUTE, 1);
  expect(lastCard(h, card.messageId)).toContain('Watching');
  await advance(h, MINUTE, 2);
  expect(lastCard(h, card.messageId)).toContain('Watch ended: time is up');
  await advance(h, 10 * MINUTE, 2);
});

it('is stopped by the person who started it, not by someone else; a chat manager may stop it too', async () => {
  h.fake.setBatch('bm_s', { kind: 'counts', read: 1, total: 3 });
  const card = await startWatch(h, '/reads bm_s watch 1h every 5m');
  const stop = buttonValue(card.card, 'Stop watching');

  const refused = await h.press({
    operatorOpenId: 'ou_member',
    messageId: card.messageId,
    chatId: 'oc_group',
    value: stop,
  });
  expect(refused.answer).toEqual({
    toast: expect.objectContaining({
      type: 'warning',
      i18n: expect.objectContaining({ en_us: expect.stringContaining('Only the person who started the watch') }),
    }),
  });

  const stopped = await h.press({
    operatorOpenId: 'ou_starter',
    messageId: card.messageId,
    chatId: 'oc_group',
    value: stop,
  });
  expect(stopped.answer.toast).toMatchObject({ type: 'success' });
  expect(cardText((stopped.answer.card as { data: unknown }).data, 'en')).toContain(
    "Watch stopped by <person id='ou_starter'",
  );
  await advance(h, 30 * MINUTE, 0); // it never updates again

  const second = await startWatch(h, '/reads bm_s watch 1h every 5m');
  const byManager = await h.press({
    operatorOpenId: 'ou_manager',
    messageId: second.messageId,
    chatId: 'oc_group',
    value: buttonValue(second.card, 'Stop watching'),
  });
  expect(byManager.answer.toast).toMatchObject({ type: 'success' });
});

it('does not watch what everyone has already read', async () => {
  h.fake.setBatch('bm_done', { kind: 'counts', read: 5, total: 5 });
  const card = await startWatch(h, '/reads bm_done watch');
  expect(cardText(card.card, 'en')).toContain('everyone has read it');
  expect(buttonValue(card.card, 'Stop watching')).toBeUndefined();
  await advance(h, 10 * MINUTE, 0);
});

it('ends, and says so on the card, when Feishu refuses for good', async () => {
  h.fake.setBatch('bm_gone', [
    { kind: 'counts', read: 1, total: 3 },
    { kind: 'error', httpStatus: 400, code: 230030, msg: 'record not found' },
  ]);
  const card = await startWatch(h, '/reads bm_gone watch 1h every 1m');
  await advance(h, MINUTE, 1);
  expect(lastCard(h, card.messageId)).toContain('Watch ended: Feishu refused the query (230030)');
  await advance(h, 10 * MINUTE, 1);
  expect(h.fake.readUserCalls).toHaveLength(2);
});

it('ends at its time even when the last query fails, and says so on the card', async () => {
  h.fake.setBatch('bm_flaky', [
    { kind: 'counts', read: 1, total: 3 },
    { kind: 'http_error', httpStatus: 503 },
  ]);
  const card = await startWatch(h, '/reads bm_flaky watch 1m every 1m');
  const settled = (async () => {
    for (let i = 0; i < 200 && h.fake.patches.length < 1; i++) {
      await clock.advance(1000); // lets the retries' back-off pass too
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  await settled;
  await h.bot.watcher.idle();
  expect(lastCard(h, card.messageId)).toContain('Watch ended: time is up');
});

it('refuses a second watch of the same id in the same chat, without calling Feishu', async () => {
  h.fake.setBatch('bm_twice', { kind: 'counts', read: 1, total: 3 });
  await startWatch(h, '/reads bm_twice watch');
  const calls = h.fake.readUserCalls.length;
  const again = await startWatch(h, '/reads bm_twice watch', 'ou_someone_else');
  expect(cardText(again.card, 'en')).toContain('already watching that batch message');
  expect(h.fake.readUserCalls.length).toBe(calls);
});

it('refuses a bad watch with a card and no API call', async () => {
  const { messageId } = await h.send('/reads bm_x watch 48h', { senderOpenId: 'ou_a' });
  await h.bot.idle();
  expect(cardText(h.fake.repliesTo(messageId)[0]!.card, 'en')).toContain('A watch lasts at most 24 h');
  expect(h.fake.readUserCalls).toHaveLength(0);
});

it('resumes after a restart, from the same store file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'reads-watch-'));
  const fake = new FakeOpenApi({
    ...APP,
    batches: {
      bm_r: [
        { kind: 'counts', read: 1, total: 4 },
        { kind: 'counts', read: 2, total: 4 },
      ],
    },
  });
  await fake.listen();
  try {
    const dbPath = join(dir, 'bot.db');
    const first = await startHarness({ clock, existingFake: fake, dbPath });
    const card = await startWatch(first, '/reads bm_r watch 1h every 5m');
    await first.close();

    const second = await startHarness({ clock, existingFake: fake, dbPath });
    await advance(second, 5 * MINUTE, 1);
    expect(cardText(fake.cardOf(card.messageId), 'en')).toContain('Read rate: 50.0%');
    expect(cardText(fake.cardOf(card.messageId), 'en')).toContain('Watching');
    await second.close();
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
