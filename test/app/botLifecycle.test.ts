/**
 * The lifecycle as the bot lives it (createBot on a fake clock, an in-memory
 * Feishu): a start that outlasts Feishu failing, /readyz's token check, and a
 * shutdown that drains or runs out of time.
 */
import { BotError } from '../../src/domain/errors.js';
import type { ReadCounts } from '../../src/domain/types.js';
import { TOKEN_CHECK_EVERY_MS } from '../../src/app/readiness.js';
import { cardText } from '../support/cards.js';
import { settle } from '../support/fakeClock.js';
import {
  BOT_OPEN_ID,
  feishuError,
  gate,
  journalEntry,
  startInProcessBot,
  type InProcessBot,
} from '../support/inProcessBot.js';

let b: InProcessBot | undefined;
afterEach(async () => {
  await b?.close();
  b = undefined;
});

const invalidToken = () => feishuError(99991663);

it('keeps retrying the bot info while Feishu fails, taking no events; then becomes ready and answers what was journaled', async () => {
  b = await startInProcessBot({ start: false });
  const { bot, api, shared } = b;
  api.setCounts('bm_journaled', 6, 8);
  const left = journalEntry('/reads bm_journaled', { chatId: 'oc_left' });
  expect(await shared.intake.accept([`event:${left.eventId}`, `message:${left.messageId}`], left)).toBe(true);

  let failures = 3;
  api.onBotInfo = () => (failures-- > 0 ? Promise.reject(new BotError('network', 'ECONNREFUSED')) : undefined);
  let started = false;
  const starting = bot.start().then(() => (started = true));
  await settle();
  expect(started).toBe(false);
  expect(bot.events.accepting()).toBe(false); // the webhook answers 503 meanwhile: Feishu redelivers
  expect(bot.readiness()).toMatchObject({ ready: false, checks: expect.objectContaining({ identity: false }) });
  expect(api.replies).toEqual([]);

  await b.drive(() => started, 'the start to finish', 500, 100);
  await starting;
  expect(api.botInfoCalls).toBe(4);
  expect(bot.events.accepting()).toBe(true);
  expect(bot.readiness()).toMatchObject({ ready: true, checks: expect.objectContaining({ identity: true }) });

  await b.idle();
  const [reply] = api.repliesTo(left.messageId);
  expect(cardText(reply?.card, 'en')).toContain('Read rate: 75.0%');
  expect(api.repliesTo(left.messageId)).toHaveLength(1);
});

describe('the token readiness check', () => {
  it('goes not-ready when the token check fails, checks at most every 30 s, and recovers', async () => {
    b = await startInProcessBot();
    const { bot, api, clock } = b;
    expect(bot.readiness().ready).toBe(true);
    const callsAtStart = api.botInfoCalls;

    // Within 30 s of the last check, asking is free: no call.
    await clock.advance(TOKEN_CHECK_EVERY_MS);
    for (let i = 0; i < 10; i++) bot.readiness();
    expect(api.botInfoCalls).toBe(callsAtStart);

    api.onBotInfo = () => Promise.reject(invalidToken());
    await clock.advance(1);
    expect(bot.readiness().ready).toBe(true); // the check runs in the background: this answer is the last known
    await settle();
    expect(api.botInfoCalls).toBe(callsAtStart + 1);
    expect(bot.readiness()).toEqual({ ready: false, checks: expect.objectContaining({ token: false }) });

    // Asked often, it still checks no more than every 30 s.
    for (let t = 0; t < TOKEN_CHECK_EVERY_MS; t += 1_000) {
      await clock.advance(1_000);
      bot.readiness();
      await settle();
    }
    expect(api.botInfoCalls).toBe(callsAtStart + 1);

    api.onBotInfo = undefined; // the token works again
    await clock.advance(1);
    bot.readiness();
    await settle();
    expect(api.botInfoCalls).toBe(callsAtStart + 2);
    expect(bot.readiness()).toEqual({ ready: true, checks: expect.objectContaining({ token: true }) });
  });

  it('asks Feishu once, however many readiness probes arrive while a check is running', async () => {
    b = await startInProcessBot();
    const { bot, api, clock } = b;
    const check = gate<string>();
    api.onBotInfo = () => check.promise;
    await clock.advance(TOKEN_CHECK_EVERY_MS + 1);
    const before = api.botInfoCalls;
    for (let i = 0; i < 5; i++) bot.readiness();
    await settle(); // the check's call takes its turn, then waits at the gate
    const calls = api.botInfoCalls;
    expect(calls).toBe(before + 1);
    await clock.advance(5_000);
    for (let i = 0; i < 5; i++) bot.readiness();
    expect(api.botInfoCalls).toBe(calls);
    check.resolve(BOT_OPEN_ID);
    await settle();
    expect(bot.readiness().ready).toBe(true);
  });
});

describe('shutdown', () => {
  it('reports finished: true when every running command is answered before the deadline', async () => {
    b = await startInProcessBot();
    const { bot, api, clock } = b;
    const held = gate<ReadCounts>();
    api.onReadUser = () => held.promise;
    const { messageId } = await b.send('/reads bm_slow');
    await settle();
    let result: { finished: boolean } | undefined;
    const stopping = bot.shutdown(10_000).then((r) => (result = r));
    expect(bot.events.accepting()).toBe(false);
    await clock.advance(5_000);
    expect(result).toBeUndefined();
    held.resolve({ readCount: 1, totalCount: 2 });
    await settle();
    await stopping;
    expect(result).toEqual({ finished: true });
    expect(cardText(api.repliesTo(messageId)[0]?.card, 'en')).toContain('Read rate: 50.0%');
    b = undefined;
  });

  it('reports finished: false when a command is still running at the deadline, and closes the store anyway', async () => {
    b = await startInProcessBot();
    const { bot, api, clock, store } = b;
    api.onReadUser = () => new Promise<ReadCounts>(() => undefined); // Feishu never answers
    const { messageId } = await b.send('/reads bm_hung');
    await settle();
    let result: { finished: boolean } | undefined;
    const stopping = bot.shutdown(10_000).then((r) => (result = r));
    await clock.advance(9_999);
    expect(result).toBeUndefined();
    await clock.advance(1);
    await stopping;
    expect(result).toEqual({ finished: false });
    expect(api.repliesTo(messageId)).toEqual([]);
    expect(store.isOpen()).toBe(false);
    b = undefined;
  });
});
