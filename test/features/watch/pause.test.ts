/** Watches while Feishu is unavailable: they pause, and go on once it is back, without counting the outage against them. */
import { cardText } from '../../support/cards.js';
import { serverError, startInProcessBot, type InProcessBot } from '../../support/inProcessBot.js';

const MINUTE = 60_000;
let b: InProcessBot | undefined;
afterEach(async () => {
  await b?.close();
  b = undefined;
});

it('pauses during an outage, sends nothing, and resumes after it, still watching', async () => {
  let down = false;
  const failWhileDown = () => (down ? Promise.reject(serverError(503)) : undefined);
  b = await startInProcessBot({
    breaker: { failuresToOpen: 3, baseDelayMs: 1_000, maxDelayMs: 4_000 },
    retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 100, budgetMs: 1_000 },
  });
  const bot = b;
  bot.api.setCounts('bm_w', 1, 4);
  const { messageId } = await bot.send('/reads bm_w watch 1h every 5m', { chatId: 'oc_w', chatType: 'group' });
  await bot.idle();
  const card = bot.api.repliesTo(messageId)[0]!.messageId;
  const watchCalls = () => bot.api.readUserCalls.filter((id) => id === 'bm_w').length;

  bot.api.onReadUser = failWhileDown;
  bot.api.onBotInfo = failWhileDown;
  bot.api.onPatch = failWhileDown;
  down = true;
  bot.api.setCounts('bm_other', 1, 1);
  await bot.send('/reads bm_other', { chatId: 'oc_other' }); // its failures open the breaker
  await bot.drive(() => !bot.bot.readiness().checks.feishu, 'the breaker to open');
  const callsWhenOpened = watchCalls();
  await bot.clock.advance(20 * MINUTE); // four of its intervals
  expect(watchCalls()).toBe(callsWhenOpened);
  expect(bot.api.patches).toEqual([]);

  bot.api.setCounts('bm_w', 3, 4);
  down = false;
  await bot.drive(() => bot.bot.readiness().checks.feishu === true, 'Feishu to be seen back', 100, 100);
  // Resumed as soon as Feishu is back, not at its next interval.
  await bot.drive(() => bot.api.patches.length > 0, 'the watched card to be updated', 100, 2);
  expect(cardText(bot.api.cardOf(card), 'en')).toContain('Read rate: 75.0%');
  const [watch] = await bot.shared.watches.active();
  expect(watch?.endedReason).toBeUndefined();
  expect(watch?.nextAt).toBeGreaterThan(bot.clock.now());
});
