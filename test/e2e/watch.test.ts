/**
 * Watches, driven by a fake clock over real HTTP: each of the three endings,
 * who may stop one, and a restart that resumes it from the same store file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOpenApi } from '../../src/dev/demo/fakeOpenApi.js';
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
    await clock.advance(20); // watch queries start 20 ms apart (bulk pacing)
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
  expect(cardText(card.card, 'en')).toContain('Everyone has read it already; no watch started.');
  expect(cardText(card.card, 'en')).not.toContain('Watch ended');
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

it('answers a second watch of the same id with who started it, when it ends, and Stop, without calling Feishu', async () => {
  h.fake.setBatch('bm_twice', { kind: 'counts', read: 1, total: 3 });
  const first = await startWatch(h, '/reads bm_twice watch');
  const calls = h.fake.readUserCalls.length;
  const again = await startWatch(h, '/reads bm_twice watch 1h', 'ou_someone_else');
  const en = cardText(again.card, 'en');
  expect(en).toContain(
    "already watching **bm_twice**: started by <person id='ou_starter' show_name=true show_avatar=true style='capsule'>",
  );
  expect(en).toContain(`<local_datetime millisecond='${clock.now() + 2 * 60 * MINUTE}' format_type='time'>`);
  expect(buttonValue(again.card, 'Extend to 1 h')).toBeUndefined(); // 1 h from now ends before the watch does
  expect(h.fake.readUserCalls.length).toBe(calls);

  // Stop on this card: the watch ends, and its own card says so too.
  const { answer } = await h.press({
    operatorOpenId: 'ou_starter',
    messageId: again.messageId,
    chatId: 'oc_group',
    value: buttonValue(again.card, 'Stop'),
  });
  expect(answer.toast).toMatchObject({ i18n: { en_us: 'Watch stopped.' } });
  await h.bot.idle();
  await h.bot.watcher.idle();
  expect(lastCard(h, first.messageId)).toContain("Watch stopped by <person id='ou_starter'");
});

it('Extend on a second watch restarts the running one from now, on its own card', async () => {
  h.fake.setBatch('bm_longer', { kind: 'counts', read: 1, total: 3 });
  const first = await startWatch(h, '/reads bm_longer watch 30m every 10m');
  await advance(h, 20 * MINUTE, 2);
  const again = await startWatch(h, '/reads bm_longer watch 3h every 15m', 'ou_someone_else');
  const extend = buttonValue(again.card, 'Extend to 3 h');
  expect(extend).toMatchObject({ a: 'extend_watch', d: 3 * 60 * MINUTE, i: 15 * MINUTE });
  const { answer } = await h.press({
    operatorOpenId: 'ou_someone_else',
    messageId: again.messageId,
    chatId: 'oc_group',
    value: extend,
  });
  expect(answer.toast).toMatchObject({ type: 'success', i18n: { en_us: 'Watch extended.' } });
  const card = (answer.card as { data: unknown }).data;
  expect(cardText(card, 'en')).toContain(
    `<local_datetime millisecond='${clock.now() + 3 * 60 * MINUTE}' format_type='time'>`,
  );
  // The running watch updates its card at once, then every 15 minutes until 3 h from now.
  await advance(h, 0, 3);
  expect(lastCard(h, first.messageId)).toContain('Watching: updates every 15 min');
  await advance(h, 15 * MINUTE, 4);
  const { answer: late } = await h.press({
    operatorOpenId: 'ou_someone_else',
    messageId: again.messageId,
    chatId: 'oc_group',
    value: buttonValue(again.card, 'Stop'),
  });
  expect(late.toast).toMatchObject({
    i18n: { en_us: 'Only the person who started the watch or the chat’s owner and managers can stop it.' },
  });
});

// Each test sends at most 4 messages into the chat: the fake Open API counts its 5 a second in real time.
it('/reads bm_x stop from someone else is refused, naming who started it; from the chat’s owner it stops the watch', async () => {
  h.fake.setBatch('bm_stop', { kind: 'counts', read: 1, total: 3 });
  const watched = await startWatch(h, '/reads bm_stop watch 1h');
  const refused = await startWatch(h, '/reads bm_stop stop', 'ou_someone_else');
  expect(cardText(refused.card, 'en')).toContain(
    "started by <person id='ou_starter' show_name=true show_avatar=true style='capsule'></person>; only they or the chat’s owner and managers can stop it.",
  );
  const stopped = await startWatch(h, '停止监控 bm_stop', 'ou_owner');
  expect(cardText(stopped.card, 'en')).toContain('Stopped watching **bm_stop**');
  await h.bot.watcher.idle();
  expect(lastCard(h, watched.messageId)).toContain("Watch stopped by <person id='ou_owner'");
});

it('/reads bm_x stop stops the sender’s own watch, and says so when there is none', async () => {
  h.fake.setBatch('bm_own', { kind: 'counts', read: 1, total: 3 });
  const none = await startWatch(h, '/reads bm_own stop');
  expect(cardText(none.card, 'en')).toContain('This chat is not watching **bm_own**');
  const watched = await startWatch(h, '/reads bm_own watch 1h');
  const own = await startWatch(h, '/reads bm_own 取消');
  expect(cardText(own.card, 'en')).toContain('Stopped watching **bm_own**');
  await h.bot.watcher.idle();
  expect(lastCard(h, watched.messageId)).toContain("Watch stopped by <person id='ou_starter'");
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
