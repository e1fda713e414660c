/**
 * Watches through the real bot on a fake clock, with an in-memory Feishu the
 * test makes fail: the caps and their refusal cards, the card update Feishu
 * refuses for good, a query that fails for a while, and the shared state
 * failing under the loop.
 */
import { BotError } from '../../../src/domain/errors.js';
import { watchIdFor } from '../../../src/domain/ids.js';
import { WATCH_CAPS } from '../../../src/domain/limits.js';
import type { ReadCounts, Watch } from '../../../src/domain/types.js';
import { buttonValue, cardText } from '../../support/cards.js';
import { capturedLogs } from '../../support/capturedLogs.js';
import {
  feishuError,
  gate,
  serverError,
  startInProcessBot,
  type InProcessBot,
  type InProcessOptions,
} from '../../support/inProcessBot.js';
import { PENDING_LIMIT_MS } from '../../../src/features/watch/watcher.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const en = (card: unknown) => cardText(card, 'en');

let b: InProcessBot | undefined;
afterEach(async () => {
  await b?.close();
  b = undefined;
});

async function start(o: InProcessOptions = {}): Promise<InProcessBot> {
  b = await startInProcessBot(o);
  return b;
}

/** Sends a watch command in a group and waits for its answer; returns the reply. */
async function watchIn(bot: InProcessBot, chatId: string, batchId: string, senderOpenId = 'ou_starter') {
  bot.api.setCounts(batchId, 1, 4);
  const { messageId } = await bot.send(`/reads ${batchId} watch 1h every 5m`, {
    chatId,
    chatType: 'group',
    senderOpenId,
  });
  await bot.idle();
  const replies = bot.api.repliesTo(messageId);
  expect(replies).toHaveLength(1);
  return replies[0]!;
}

const activeWatches = async (bot: InProcessBot) => bot.shared.watches.active();

describe('caps', () => {
  it(`refuses a ${WATCH_CAPS.perChat + 1}th watch in one chat with its card and no query; other chats still may`, async () => {
    const bot = await start();
    for (let i = 1; i <= WATCH_CAPS.perChat; i++) {
      expect(en((await watchIn(bot, 'oc_busy', `bm_${i}`)).card)).toContain('Watching');
    }
    const calls = bot.api.readUserCalls.length;
    const refused = await watchIn(bot, 'oc_busy', 'bm_6');
    expect(en(refused.card)).toContain('This chat has too many watches running; stop one first.');
    expect(en(refused.card)).not.toContain('Feishu was not queried'); // internal detail
    expect(bot.api.readUserCalls).toHaveLength(calls);

    expect(en((await watchIn(bot, 'oc_quiet', 'bm_6')).card)).toContain('Watching');

    // Once one of them is stopped, the chat may start another.
    const first = bot.api.replies.find((r) => en(r.card).includes('bm_1'))!;
    const stop = await bot.press({
      operatorOpenId: 'ou_starter',
      messageId: first.messageId,
      chatId: 'oc_busy',
      value: buttonValue(first.card, 'Stop watching'),
    });
    expect(stop.toast?.i18n.en_us).toBe('Watch stopped.');
    expect(en((await watchIn(bot, 'oc_busy', 'bm_6')).card)).toContain('Watching');
  });

  it(`refuses a watch beyond ${WATCH_CAPS.total} in all, in any chat, with its card`, async () => {
    const bot = await start();
    const now = bot.clock.now();
    // 199 running already, 5 a chat (the per-chat cap is not what refuses here).
    for (let i = 0; i < WATCH_CAPS.total - 1; i++) {
      const w: Watch = {
        id: `w_seed_${i}`,
        batchId: `bm_seed_${i}`,
        chatId: `oc_seed_${Math.floor(i / WATCH_CAPS.perChat)}`,
        cardMessageId: `om_seed_${i}`,
        startedBy: 'ou_someone',
        startedAt: now,
        until: now + 24 * HOUR,
        intervalMs: 12 * HOUR,
        nextAt: now + 12 * HOUR,
      };
      await bot.shared.watches.add(w);
    }
    expect(en((await watchIn(bot, 'oc_new', 'bm_200th')).card)).toContain('Watching');
    expect(await activeWatches(bot)).toHaveLength(WATCH_CAPS.total);

    const calls = bot.api.readUserCalls.length;
    const refused = await watchIn(bot, 'oc_other', 'bm_201st');
    expect(en(refused.card)).toContain('The bot is running as many watches as it can; try again later.');
    expect(bot.api.readUserCalls).toHaveLength(calls);
    expect(await activeWatches(bot)).toHaveLength(WATCH_CAPS.total);
  });
});

describe('a card update Feishu refuses for good ends the watch (reason failed)', () => {
  it.each([
    ['230011 (message recalled)', feishuError(230011, 400), '230011'],
    ['HTTP 400 without a Feishu code', new BotError('feishu_http', 'HTTP 400', { httpStatus: 400 }), 'feishu_http'],
  ])('%s', async (_name, refusal, endedBy) => {
    const bot = await start();
    const card = await watchIn(bot, 'oc_group', 'bm_gone');
    let refusals = 0;
    bot.api.onPatch = () => (refusals++, Promise.reject(refusal));
    await bot.drive(() => refusals > 0, 'the first update', 10_000);
    await bot.bot.watcher.idle();
    expect(refusals).toBe(1); // not retried: it will never work
    expect(await activeWatches(bot)).toEqual([]);

    // It is driven no more: no query, no update, for the rest of its hour.
    const calls = bot.api.readUserCalls.length;
    await bot.clock.advance(2 * HOUR);
    expect(bot.api.readUserCalls).toHaveLength(calls);
    expect(refusals).toBe(1);

    // The chat may watch that batch message again (it is not "already watching").
    bot.api.onPatch = undefined;
    expect(en((await watchIn(bot, 'oc_group', 'bm_gone')).card)).toContain('Watching');
    const watchId = (buttonValue(card.card, 'Stop watching') as { w: string }).w;
    expect(await bot.bot.watcher.get(watchId)).toMatchObject({ endedReason: 'failed', endedBy });
  });

  it('a card update that fails for now (503) does not end it: the next interval updates the card', async () => {
    const bot = await start();
    const card = await watchIn(bot, 'oc_group', 'bm_flaky_patch');
    let failures = 0;
    bot.api.onPatch = () => (failures++, Promise.reject(serverError(503)));
    await bot.drive(() => failures >= 3, 'three failed update attempts', 1_000);
    await bot.bot.watcher.idle();
    expect(await activeWatches(bot)).toHaveLength(1);

    bot.api.onPatch = undefined;
    bot.api.setCounts('bm_flaky_patch', 3, 4);
    await bot.drive(() => bot.api.patches.length === 1, 'the next update', 10_000);
    expect(en(bot.api.cardOf(card.messageId))).toContain('Read rate: 75.0%');
    expect(en(bot.api.cardOf(card.messageId))).toContain('Watching');
  });
});

it.each([
  ['a 5xx', serverError(503)],
  ['a timeout', new BotError('timeout', 'no answer within 5000 ms')],
])(
  '%s on read_user in the middle of a watch: the watch goes on and updates at the next interval',
  async (_n, failure) => {
    const bot = await start();
    const card = await watchIn(bot, 'oc_group', 'bm_mid');
    const startedAt = bot.clock.now();
    let failing = true;
    bot.api.onReadUser = () => (failing ? Promise.reject(failure) : undefined);
    const calls = bot.api.readUserCalls.length;
    await bot.drive(() => bot.api.readUserCalls.length >= calls + 3, 'the retries of the first tick', 1_000);
    await bot.bot.watcher.idle();
    expect(bot.api.patches).toEqual([]); // nothing new to show
    expect(await activeWatches(bot)).toHaveLength(1);

    failing = false;
    bot.api.setCounts('bm_mid', 2, 4);
    await bot.drive(() => bot.api.patches.length === 1, 'the next interval’s update', 10_000);
    expect(bot.clock.now() - startedAt).toBeGreaterThanOrEqual(10 * MINUTE);
    expect(bot.clock.now() - startedAt).toBeLessThan(11 * MINUTE);
    expect(en(bot.api.cardOf(card.messageId))).toContain('Read rate: 50.0%');
    expect(en(bot.api.cardOf(card.messageId))).toContain('Watching');
  },
);

it('picks the watches up again once the shared state is back (active() failing for a while)', async () => {
  let down = false;
  let lookups = 0;
  const bot = await start({
    shared: (state) => ({
      ...state,
      watches: {
        ...state.watches,
        active: () => {
          lookups++;
          return down ? Promise.reject(new BotError('unavailable', 'redis unreachable')) : state.watches.active();
        },
      },
    }),
  });
  const card = await watchIn(bot, 'oc_group', 'bm_back');
  const calls = bot.api.readUserCalls.length;
  down = true;
  await bot.clock.advance(20 * MINUTE);
  expect(bot.api.readUserCalls).toHaveLength(calls); // nothing driven meanwhile
  expect(bot.api.patches).toEqual([]);
  const whileDown = lookups;
  expect(whileDown).toBeGreaterThan(20 * 6); // it kept looking, every 5 s or so

  down = false;
  bot.api.setCounts('bm_back', 2, 4);
  const back = bot.clock.now();
  await bot.drive(() => bot.api.patches.length === 1, 'the watch being driven again', 500);
  expect(bot.clock.now() - back).toBeLessThanOrEqual(5_000);
  expect(en(bot.api.cardOf(card.messageId))).toContain('Read rate: 50.0%');
});

it('a watch stopped while its update is on its way keeps showing "stopped" (the tick does not overwrite it)', async () => {
  const bot = await start();
  const card = await watchIn(bot, 'oc_group', 'bm_race');
  const held = gate<ReadCounts>();
  bot.api.onReadUser = () => held.promise;
  const calls = bot.api.readUserCalls.length;
  await bot.drive(() => bot.api.readUserCalls.length > calls, 'the tick’s query', 10_000);

  const stopped = await bot.press({
    operatorOpenId: 'ou_starter',
    messageId: card.messageId,
    chatId: 'oc_group',
    value: buttonValue(card.card, 'Stop watching'),
  });
  expect(stopped.toast?.i18n.en_us).toBe('Watch stopped.');
  held.resolve({ readCount: 2, totalCount: 4 });
  await bot.bot.watcher.idle();
  await bot.clock.advance(HOUR);
  expect(bot.api.patches).toEqual([]); // the stop answered with the final card; nothing replaced it
  expect(bot.api.readUserCalls).toHaveLength(calls + 1);
});

it('a long tick is not started twice when the loop wakes meanwhile', async () => {
  const bot = await start();
  await watchIn(bot, 'oc_group', 'bm_long');
  const held = gate<ReadCounts>();
  bot.api.onReadUser = (id) => (id === 'bm_long' ? held.promise : undefined);
  await bot.drive(() => bot.api.readUserCalls.filter((id) => id === 'bm_long').length === 2, 'the tick', 10_000);
  bot.api.onReadUser = undefined;
  await watchIn(bot, 'oc_other', 'bm_wake'); // adding a watch wakes the loop
  await bot.clock.advance(MINUTE);
  expect(bot.api.readUserCalls.filter((id) => id === 'bm_long')).toHaveLength(2);
  held.resolve({ readCount: 2, totalCount: 4 });
  await bot.drive(() => bot.api.patches.length === 1, 'the long tick’s update', 100);
});

it('leaves a watch another replica drives alone, and drives it once it is free', async () => {
  let othersHold = true;
  const bot = await start({
    shared: (state) => ({
      ...state,
      watches: {
        ...state.watches,
        drive: async (ids) => (othersHold ? new Set<string>() : state.watches.drive(ids)),
      },
    }),
  });
  const card = await watchIn(bot, 'oc_group', 'bm_elsewhere');
  const calls = bot.api.readUserCalls.length;
  await bot.clock.advance(30 * MINUTE);
  expect(bot.api.readUserCalls).toHaveLength(calls);
  othersHold = false; // that replica died: its locks ran out
  bot.api.setCounts('bm_elsewhere', 2, 4);
  await bot.drive(() => bot.api.patches.length === 1, 'the watch being taken over', 1_000);
  expect(en(bot.api.cardOf(card.messageId))).toContain('Read rate: 50.0%');
});

it('a card that cannot be built when its update goes out (shared state out of reach) does not end the watch', async () => {
  // The tick reads the watch once itself, then again to build the card: that second read fails.
  let getsUntilFailure = Infinity;
  const bot = await start({
    shared: (state) => ({
      ...state,
      watches: {
        ...state.watches,
        get: (id) =>
          getsUntilFailure-- <= 0
            ? Promise.reject(new BotError('unavailable', 'redis unreachable'))
            : state.watches.get(id),
      },
    }),
  });
  const card = await watchIn(bot, 'oc_group', 'bm_nocard');
  let attempts = 0;
  bot.api.onPatch = () => (attempts++, undefined);
  getsUntilFailure = 1;
  await bot.drive(() => getsUntilFailure < 0, 'the card being built', 10_000);
  await bot.bot.watcher.idle();
  getsUntilFailure = Infinity;
  expect(attempts).toBe(0);
  expect(await activeWatches(bot)).toHaveLength(1);

  bot.api.setCounts('bm_nocard', 3, 4);
  await bot.drive(() => bot.api.patches.length === 1, 'the next interval’s update', 10_000);
  expect(en(bot.api.cardOf(card.messageId))).toContain('Read rate: 75.0%');
});

it('a tick that fails unexpectedly after rescheduling does not stop the watch or the loop', async () => {
  let failGet = false;
  const bot = await start({
    shared: (state) => ({
      ...state,
      watches: {
        ...state.watches,
        get: (id) =>
          failGet ? Promise.reject(new BotError('unavailable', 'redis unreachable')) : state.watches.get(id),
      },
    }),
  });
  const card = await watchIn(bot, 'oc_group', 'bm_oops');
  const calls = bot.api.readUserCalls.length;
  failGet = true;
  await bot.drive(() => bot.api.readUserCalls.length > calls, 'the tick', 10_000);
  await bot.bot.watcher.idle();
  failGet = false;
  bot.api.setCounts('bm_oops', 2, 4);
  await bot.drive(() => bot.api.patches.length === 1, 'the next interval’s update', 10_000);
  expect(en(bot.api.cardOf(card.messageId))).toContain('Read rate: 50.0%');
});

it('Stop on a watch the bot does not know says it has ended, without a card', async () => {
  const bot = await start();
  const answer = await bot.press({
    operatorOpenId: 'ou_a',
    messageId: 'om_old_card',
    chatId: 'oc_group',
    value: { a: 'stop_watch', w: 'w_unknown' },
  });
  expect(answer.toast?.i18n.en_us).toBe('The watch has already ended.');
  expect(answer.card).toBeUndefined();
});

it('while the shared state refuses writes (reads still work), a due watch waits 5 s between tries instead of hammering read_user', async () => {
  // A Redis at maxmemory (noeviction) refuses ZADD/HSET but serves SMEMBERS/HGETALL and the
  // PEXPIRE of the watch lock: active() and drive() work, history.record() and reschedule() reject
  // 'unavailable'. The tick cannot write its next time, so the watch still looks due: before the
  // watcher remembered to wait 5 s, it ticked again at once, 50 read_user calls a second.
  let writesFail = false;
  const bot = await start({
    shared: (state) => ({
      ...state,
      history: {
        ...state.history,
        record: (s, by) =>
          writesFail
            ? Promise.reject(new BotError('unavailable', 'OOM command not allowed'))
            : state.history.record(s, by),
      },
    }),
  });
  await watchIn(bot, 'oc_group', 'bm_storm');
  const calls = bot.api.readUserCalls.length;
  writesFail = true;
  await bot.clock.advance(5 * MINUTE);
  for (let i = 0; i < 10; i++) await bot.clock.advance(1_000);
  // One attempt at the tick and one every 5 s after would be 3; it makes hundreds.
  expect(bot.api.readUserCalls.length - calls).toBeLessThanOrEqual(5);
});

describe('places taken before the card is sent', () => {
  it(`refuses one person a ${WATCH_CAPS.perPerson + 1}th watch across chats, with its card`, async () => {
    const bot = await start();
    for (let i = 0; i < WATCH_CAPS.perPerson; i++) {
      expect(en((await watchIn(bot, `oc_${i}`, `bm_mine_${i}`, 'ou_keen')).card)).toContain('Watching');
    }
    await bot.clock.advance(MINUTE); // past the 10 commands a minute a person may send
    const refused = await watchIn(bot, 'oc_more', 'bm_mine_more', 'ou_keen');
    expect(en(refused.card)).toContain(`You have ${WATCH_CAPS.perPerson} watches running; stop one first.`);
    expect(en((await watchIn(bot, 'oc_more', 'bm_mine_more', 'ou_other')).card)).toContain('Watching');
  });

  it('gives the place back at once when Feishu refuses the watch’s card for good', async () => {
    const bot = await start();
    bot.api.onReply = () => Promise.reject(feishuError(230002)); // the bot is not in the chat: refused for good
    bot.api.setCounts('bm_lost', 1, 4);
    const { messageId } = await bot.send('/reads bm_lost watch 1h every 1m', { chatId: 'oc_gone', chatType: 'group' });
    await bot.idle();
    expect(await activeWatches(bot)).toHaveLength(0);
    expect(await bot.shared.watches.get(watchIdFor(messageId))).toMatchObject({
      batchId: 'bm_lost',
      cardMessageId: '',
      endedReason: 'failed',
      endedBy: 'not_started',
    });
  });

  it('answers the command even when its place cannot be given back, and the place lapses later', async () => {
    const logs = capturedLogs('warn');
    const bot = await start({
      logger: logs.logger,
      shared: (state) => ({
        ...state,
        watches: { ...state.watches, get: () => Promise.reject(new BotError('unavailable', 'redis unreachable')) },
      }),
    });
    bot.api.onReply = () => Promise.reject(feishuError(230002));
    bot.api.setCounts('bm_stuck', 1, 4);
    await bot.send('/reads bm_stuck watch 1h every 1m', { chatId: 'oc_stuck', chatType: 'group' });
    await bot.idle();
    expect(logs.text()).toContain('could not give the watch’s place back; it lapses by itself');
    expect(bot.store.pending()).toEqual([]); // the command itself is done
    expect(await activeWatches(bot)).toHaveLength(1);
    await bot.clock.advance(PENDING_LIMIT_MS + MINUTE);
    expect(await activeWatches(bot)).toHaveLength(0);
  });

  it('never drives a reservation whose card never came, and lets it lapse only after its command’s hour', async () => {
    const bot = await start();
    const now = bot.clock.now();
    const orphan: Watch = {
      id: 'w_orphan',
      batchId: 'bm_orphan',
      chatId: 'oc_orphan',
      cardMessageId: '',
      startedBy: 'ou_starter',
      startedAt: now,
      until: now + 2 * HOUR,
      intervalMs: MINUTE,
      nextAt: now + MINUTE,
    };
    expect(await bot.bot.watcher.reserve(orphan)).toBeUndefined(); // the replica died before its give-back
    await bot.clock.advance(HOUR);
    expect(bot.api.readUserCalls).toEqual([]); // not ticked: there is no card to update
    expect(await activeWatches(bot)).toHaveLength(1); // its command may still be answered
    await bot.clock.advance(PENDING_LIMIT_MS - HOUR + MINUTE);
    expect(await activeWatches(bot)).toHaveLength(0);
    expect(await bot.shared.watches.get('w_orphan')).toMatchObject({ endedReason: 'failed', endedBy: 'not_started' });
  });
});

describe('the loop', () => {
  it('runs once however often it is started: one query a watch each interval', async () => {
    const bot = await start();
    await watchIn(bot, 'oc_once', 'bm_once');
    bot.bot.watcher.start();
    bot.bot.watcher.start();
    const calls = bot.api.readUserCalls.length;
    await bot.clock.advance(5 * MINUTE);
    await bot.bot.watcher.idle();
    expect(bot.api.readUserCalls.length - calls).toBe(1);
  });

  it('ends a watch whose query fails for good without a Feishu code, naming what went wrong', async () => {
    const bot = await start();
    await watchIn(bot, 'oc_odd', 'bm_odd');
    const [running] = await bot.shared.watches.active();
    bot.api.onReadUser = () => Promise.reject(new BotError('bad_response', 'unexpected read_user answer'));
    await bot.clock.advance(5 * MINUTE);
    await bot.bot.watcher.idle();
    expect(await bot.shared.watches.get(running!.id)).toMatchObject({ endedReason: 'failed', endedBy: 'bad_response' });
    expect(en(bot.api.patches.at(-1)?.card)).toContain('Watch ended');
  });

  it('tells the starter once, by a reply to the watch card that mentions them, when everyone has read it', async () => {
    const bot = await start();
    const card = await watchIn(bot, 'oc_told', 'bm_told');
    bot.api.setCounts('bm_told', 4, 4);
    await bot.clock.advance(5 * MINUTE);
    await bot.bot.watcher.idle();
    const notices = bot.api.repliesTo(card.messageId);
    expect(notices).toHaveLength(1);
    expect(cardText(notices[0]!.card, 'zh')).toContain(
      '<at id=ou_starter></at> 你发起的 bm_told 监控已结束：所有人都已读。',
    );
    expect(en(notices[0]!.card)).toContain(
      '<at id=ou_starter></at> Your watch of bm_told has ended: everyone has read it.',
    );
    // The updated card itself shows, without mentioning anyone.
    expect(JSON.stringify(bot.api.patches.at(-1)?.card)).not.toContain('<at');
    await bot.clock.advance(30 * MINUTE);
    await bot.bot.watcher.idle();
    expect(bot.api.repliesTo(card.messageId)).toHaveLength(1);
  });

  it('tells the starter when Feishu refuses for good; not when the time is up or someone stopped it', async () => {
    const bot = await start();
    const refused = await watchIn(bot, 'oc_r', 'bm_refused');
    const timed = await watchIn(bot, 'oc_t', 'bm_timed');
    bot.api.onReadUser = (batchId) => (batchId === 'bm_refused' ? Promise.reject(feishuError(230030)) : undefined);
    await bot.clock.advance(5 * MINUTE);
    await bot.bot.watcher.idle();
    expect(en(bot.api.repliesTo(refused.messageId)[0]?.card)).toContain(
      'has ended: Feishu refused the query; the card above says more.',
    );
    await bot.clock.advance(2 * HOUR);
    await bot.bot.watcher.idle();
    expect(await activeWatches(bot)).toEqual([]);
    expect(en(bot.api.patches.filter((p) => p.messageId === timed.messageId).at(-1)?.card)).toContain('time is up');
    expect(bot.api.repliesTo(timed.messageId)).toHaveLength(0);
  });

  it('a notice that cannot be sent is logged; the watch has ended all the same', async () => {
    const bot = await start();
    const card = await watchIn(bot, 'oc_n', 'bm_n');
    bot.api.onReply = (parentId) => (parentId === card.messageId ? Promise.reject(feishuError(230002)) : undefined);
    bot.api.setCounts('bm_n', 4, 4);
    await bot.clock.advance(5 * MINUTE);
    await bot.bot.watcher.idle();
    expect(await activeWatches(bot)).toEqual([]);
    expect(bot.api.repliesTo(card.messageId)).toHaveLength(0);
    expect(en(bot.api.patches.at(-1)?.card)).toContain('Watch ended: everyone has read it.');
  });
});

describe('stopped or extended from another message', () => {
  it('a stop command ends the watch even when its card cannot show it any more, and says why in the log', async () => {
    const logs = capturedLogs('warn');
    const bot = await start({ logger: logs.logger });
    await watchIn(bot, 'oc_group', 'bm_recalled');
    bot.api.onPatch = () => Promise.reject(feishuError(230011, 400)); // the watch's card was recalled
    const { messageId } = await bot.send('/reads bm_recalled stop', {
      chatId: 'oc_group',
      chatType: 'group',
      senderOpenId: 'ou_starter',
    });
    await bot.idle();
    await bot.bot.watcher.idle();
    expect(en(bot.api.repliesTo(messageId)[0]!.card)).toContain('Stopped watching **bm_recalled**');
    expect(await activeWatches(bot)).toEqual([]);
    expect(logs.text()).toContain('could not show the stop on the watch’s card');
  });

  it('Extend restarts only a watch still running whose card was sent', async () => {
    const bot = await start();
    const card = await watchIn(bot, 'oc_group', 'bm_ext');
    const watchId = (buttonValue(card.card, 'Stop watching') as { w: string }).w;
    const extended = await bot.bot.watcher.extend(watchId, 3 * HOUR, 10 * MINUTE);
    expect(extended).toMatchObject({
      until: bot.clock.now() + 3 * HOUR,
      intervalMs: 10 * MINUTE,
      nextAt: bot.clock.now(),
    });
    expect(await bot.bot.watcher.get(watchId)).toMatchObject({
      until: bot.clock.now() + 3 * HOUR,
      cardMessageId: card.messageId,
    });
    await bot.bot.watcher.stop(watchId, 'ou_starter');
    expect(await bot.bot.watcher.extend(watchId, 3 * HOUR, 10 * MINUTE)).toBeUndefined();
    expect(await bot.bot.watcher.extend('w_unknown', 3 * HOUR, 10 * MINUTE)).toBeUndefined();
  });
});
