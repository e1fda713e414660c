/**
 * Button presses through the real bot (createBot) on a fake clock, with an
 * in-memory Feishu whose calls the test holds open or fails: the guard chain,
 * Refresh and Stop as a person pressing them sees it.
 */
import type { ActionAnswer } from '../../src/cards/toasts.js';
import { PERSON_RATES } from '../../src/domain/limits.js';
import { BotError } from '../../src/domain/errors.js';
import type { ChatAdmins } from '../../src/feishu/api/openApi.js';
import type { ReadCounts } from '../../src/domain/types.js';
import { buttonValue, cardText } from '../support/cards.js';
import { settle } from '../support/fakeClock.js';
import {
  feishuError,
  gate,
  startInProcessBot,
  type InProcessBot,
  type InProcessOptions,
} from '../support/inProcessBot.js';
import { startHarness } from '../support/harness.js';

const MINUTE = 60_000;
const BUDGET_MS = 1_000;
const REFRESH_A = { a: 'refresh', ids: ['bm_a'] };

let b: InProcessBot | undefined;
afterEach(async () => {
  await b?.close();
  b = undefined;
});

async function start(o: InProcessOptions = {}): Promise<InProcessBot> {
  b = await startInProcessBot({ callbackBudgetMs: BUDGET_MS, ...o });
  b.api.setCounts('bm_a', 1, 4);
  return b;
}

const toast = (a: ActionAnswer) => a.toast?.i18n.en_us;
const en = (card: unknown) => cardText(card, 'en');

/** Presses and, while the press waits for its answer, moves the fake clock; resolves to the answer. */
async function pressDriven(bot: InProcessBot, o: Parameters<InProcessBot['press']>[0]): Promise<ActionAnswer> {
  let answer: ActionAnswer | undefined;
  const pressed = bot.press(o).then((a) => (answer = a));
  await bot.drive(() => answer !== undefined, 'the press being answered', 100, 100);
  await pressed;
  return answer!;
}

/** Starts a watch in a group from a message; returns the card message and its buttons. */
async function startWatch(bot: InProcessBot, text = '/reads bm_a watch 1h every 5m') {
  const { messageId } = await bot.send(text, { chatId: 'oc_group', chatType: 'group', senderOpenId: 'ou_starter' });
  await bot.idle();
  const [reply] = bot.api.repliesTo(messageId);
  expect(en(reply!.card)).toContain('Watching: updates every 5 min');
  return {
    messageId: reply!.messageId,
    refresh: buttonValue(reply!.card, 'Refresh')!,
    stop: buttonValue(reply!.card, 'Stop watching')!,
  };
}

describe('presses per person', () => {
  it('the 21st press in a minute gets "Too many presses" and costs no read_user call; others are still served', async () => {
    const bot = await start();
    const press = (who: string) =>
      bot.press({ operatorOpenId: who, messageId: 'om_card', chatId: 'oc_x', value: REFRESH_A });
    for (let i = 0; i < PERSON_RATES.presses.perMinute; i++) {
      expect(toast(await press('ou_fast'))).toBe('Refreshed.');
      await bot.clock.advance(500);
    }
    expect(bot.api.readUserCalls).toHaveLength(PERSON_RATES.presses.perMinute);
    expect(toast(await press('ou_fast'))).toBe('Too many presses; try again in a moment.');
    expect(bot.api.readUserCalls).toHaveLength(PERSON_RATES.presses.perMinute);
    expect(toast(await press('ou_other'))).toBe('Refreshed.');

    await bot.clock.advance(MINUTE);
    expect(toast(await press('ou_fast'))).toBe('Refreshed.');
  });
});

it('ignores a redelivered press (same event_id) over HTTP: answers {} and calls read_user no more', async () => {
  const h = await startHarness({ fake: { batches: { bm_a: { kind: 'counts', read: 1, total: 4 } } } });
  try {
    const press = () =>
      h.press({ operatorOpenId: 'ou_a', messageId: 'om_card', chatId: 'oc_x', value: REFRESH_A, eventId: 'ev_once' });
    const first = await press();
    expect(first.answer.toast).toMatchObject({ i18n: { en_us: 'Refreshed.' } });
    expect(h.fake.readUserCalls).toHaveLength(1);
    const again = await press();
    expect(again).toEqual({ status: 200, answer: {} });
    await h.bot.idle();
    expect(h.fake.readUserCalls).toHaveLength(1);
  } finally {
    await h.close();
  }
});

it('two people pressing Refresh on one card at once share one read_user call', async () => {
  const bot = await start();
  const held = gate<ReadCounts>();
  bot.api.onReadUser = () => held.promise;
  const press = (who: string) =>
    bot.press({ operatorOpenId: who, messageId: 'om_card', chatId: 'oc_x', value: REFRESH_A });
  const both = Promise.all([press('ou_ann'), press('ou_bob')]);
  await settle();
  expect(bot.api.readUserCalls).toHaveLength(1);
  held.resolve({ readCount: 3, totalCount: 4 });
  const answers = await both;
  for (const a of answers) {
    expect(toast(a)).toBe('Refreshed.');
    expect(en(a.card?.data)).toContain('Read rate: 75.0%');
  }
  expect(bot.api.readUserCalls).toHaveLength(1);
});

it('answers "busy" when the access check takes longer than the callback budget, and calls read_user not at all', async () => {
  const bot = await start({ access: { kind: 'group_admins' } });
  const lookup = gate<ChatAdmins>();
  bot.api.onChatAdmins = () => lookup.promise;
  let answer: ActionAnswer | undefined;
  const pressed = bot
    .press({ operatorOpenId: 'ou_owner', messageId: 'om_card', chatId: 'oc_group', value: REFRESH_A })
    .then((a) => (answer = a));
  await bot.clock.advance(BUDGET_MS - 1);
  expect(answer).toBeUndefined();
  await bot.clock.advance(1);
  await pressed;
  expect(toast(answer!)).toBe('The bot is busy; try again in a moment.');
  lookup.resolve({ isGroup: true, ownerOpenId: 'ou_owner', managerOpenIds: [] }); // too late: nothing runs
  await settle();
  expect(bot.api.readUserCalls).toEqual([]);
  // The look-up is cached now: the next press is served in time.
  expect(
    toast(await bot.press({ operatorOpenId: 'ou_owner', messageId: 'om_card', chatId: 'oc_group', value: REFRESH_A })),
  ).toBe('Refreshed.');
});

describe('Stop watching', () => {
  it('on a watch that already ended: "The watch has already ended", with the final card', async () => {
    const bot = await start();
    const card = await startWatch(bot);
    bot.api.setCounts('bm_a', 4, 4);
    await bot.drive(() => bot.api.patches.length === 1, 'the watch ending', 10_000);
    expect(en(bot.api.cardOf(card.messageId))).toContain('Watch ended: everyone has read it.');

    const answer = await bot.press({
      operatorOpenId: 'ou_starter',
      messageId: card.messageId,
      chatId: 'oc_group',
      value: card.stop,
    });
    expect(answer.toast).toMatchObject({ type: 'info', i18n: { en_us: 'The watch has already ended.' } });
    expect(en(answer.card?.data)).toContain('Watch ended: everyone has read it.');
    expect(en(answer.card?.data)).toContain('Read rate: 100%');
  });

  it('by someone who may not: the not-allowed toast, and the watch goes on updating', async () => {
    const bot = await start();
    const card = await startWatch(bot);
    const answer = await bot.press({
      operatorOpenId: 'ou_member',
      messageId: card.messageId,
      chatId: 'oc_group',
      value: card.stop,
    });
    expect(toast(answer)).toBe('Only the person who started the watch or the chat’s owner and managers can stop it.');
    expect(answer.card).toBeUndefined();

    bot.api.setCounts('bm_a', 2, 4);
    await bot.drive(() => bot.api.patches.length === 1, 'the next update', 10_000);
    expect(en(bot.api.cardOf(card.messageId))).toContain('Read rate: 50.0%');
    expect(en(bot.api.cardOf(card.messageId))).toContain('Watching: updates every 5 min');
  });

  it('by the chat owner, even though they did not start it', async () => {
    const bot = await start();
    const card = await startWatch(bot);
    const answer = await bot.press({
      operatorOpenId: 'ou_owner',
      messageId: card.messageId,
      chatId: 'oc_group',
      value: card.stop,
    });
    expect(toast(answer)).toBe('Watch stopped.');
    expect(en(answer.card?.data)).toContain("Watch stopped by <person id='ou_owner'");
  });

  it('when the chat’s owner cannot be looked up, only the starter may stop it', async () => {
    const bot = await start();
    const card = await startWatch(bot);
    bot.api.onChatAdmins = () => Promise.reject(new BotError('feishu_api', 'bot not in chat', { feishuCode: 232011 }));
    const answer = await bot.press({
      operatorOpenId: 'ou_owner',
      messageId: card.messageId,
      chatId: 'oc_group',
      value: card.stop,
    });
    expect(toast(answer)).toContain('Only the person who started the watch');
  });
});

it('a slow Refresh on a watched card answers "Refreshing…", then updates the card from the watch as it stands by then', async () => {
  const bot = await start();
  const card = await startWatch(bot);
  const held = gate<ReadCounts>();
  bot.api.onReadUser = () => held.promise;

  const refreshed = await pressDriven(bot, {
    operatorOpenId: 'ou_viewer',
    messageId: card.messageId,
    chatId: 'oc_group',
    value: card.refresh,
  });
  expect(refreshed).toEqual({ toast: expect.objectContaining({ type: 'info' }) });
  expect(toast(refreshed)).toBe('Refreshing…');
  expect(bot.api.patches).toEqual([]);

  // While the numbers are on their way, the starter stops the watch.
  const stopped = await bot.press({
    operatorOpenId: 'ou_starter',
    messageId: card.messageId,
    chatId: 'oc_group',
    value: card.stop,
  });
  expect(toast(stopped)).toBe('Watch stopped.');

  held.resolve({ readCount: 3, totalCount: 4 });
  await bot.idle();
  expect(bot.api.patches).toHaveLength(1);
  const shown = en(bot.api.cardOf(card.messageId));
  expect(shown).toContain('Read rate: 75.0%');
  expect(shown).toContain("refreshed by <person id='ou_viewer'");
  expect(shown).toContain("Watch stopped by <person id='ou_starter'"); // not "Watching" again
  expect(buttonValue(bot.api.cardOf(card.messageId), 'Stop watching')).toBeUndefined();
});

it('a late update that waits its turn behind another update of the card is built from the watch when its turn comes', async () => {
  const bot = await start();
  const card = await startWatch(bot);
  const press = (operatorOpenId: string, value: unknown) =>
    pressDriven(bot, { operatorOpenId, messageId: card.messageId, chatId: 'oc_group', value });

  // Ann's slow refresh: its update reaches Feishu, which takes its time answering.
  const annRead = gate<ReadCounts>();
  bot.api.onReadUser = () => annRead.promise;
  expect(toast(await press('ou_ann', card.refresh))).toBe('Refreshing…');
  const annPatch = gate<void>();
  bot.api.onPatch = () => annPatch.promise;
  annRead.resolve({ readCount: 2, totalCount: 4 });
  await settle();

  // Bob's slow refresh: its numbers come while the watch is still on; its update queues behind Ann's.
  const bobRead = gate<ReadCounts>();
  bot.api.onReadUser = () => bobRead.promise;
  expect(toast(await press('ou_bob', card.refresh))).toBe('Refreshing…');
  bobRead.resolve({ readCount: 3, totalCount: 4 });
  await settle();

  // Then the starter stops the watch, before either update is through.
  expect(
    toast(
      await bot.press({
        operatorOpenId: 'ou_starter',
        messageId: card.messageId,
        chatId: 'oc_group',
        value: card.stop,
      }),
    ),
  ).toBe('Watch stopped.');
  bot.api.onPatch = undefined;
  annPatch.resolve();
  await bot.idle();

  const shown = en(bot.api.cardOf(card.messageId));
  expect(shown).toContain("refreshed by <person id='ou_bob'");
  expect(shown).toContain('Read rate: 75.0%');
  expect(shown).toContain("Watch stopped by <person id='ou_starter'"); // the card does not go back to "Watching"
  expect(buttonValue(bot.api.cardOf(card.messageId), 'Stop watching')).toBeUndefined();
});

it('a slow Refresh on a plain card updates it once the numbers come', async () => {
  const bot = await start();
  const held = gate<ReadCounts>();
  bot.api.onReadUser = () => held.promise;
  const { messageId } = await bot.send('/reads bm_b');
  held.resolve({ readCount: 1, totalCount: 2 });
  await bot.idle();
  const [reply] = bot.api.repliesTo(messageId);

  const later = gate<ReadCounts>();
  bot.api.onReadUser = () => later.promise;
  const answer = await pressDriven(bot, {
    operatorOpenId: 'ou_viewer',
    messageId: reply!.messageId,
    chatId: 'oc_chat',
    value: buttonValue(reply!.card, 'Refresh'),
  });
  expect(toast(answer)).toBe('Refreshing…');
  later.resolve({ readCount: 2, totalCount: 2 });
  await bot.idle();
  expect(en(bot.api.cardOf(reply!.messageId))).toContain('Read rate: 100%');
});

it('a slow Refresh whose late card update Feishu refuses leaves the bot serving presses', async () => {
  const bot = await start();
  const held = gate<ReadCounts>();
  bot.api.onReadUser = () => held.promise;
  bot.api.onPatch = () => Promise.reject(feishuError(230011));
  const answer = await pressDriven(bot, {
    operatorOpenId: 'ou_a',
    messageId: 'om_card',
    chatId: 'oc_x',
    value: REFRESH_A,
  });
  expect(toast(answer)).toBe('Refreshing…');
  held.resolve({ readCount: 2, totalCount: 4 });
  await bot.idle();
  bot.api.onReadUser = undefined;
  const next = await bot.press({ operatorOpenId: 'ou_b', messageId: 'om_card', chatId: 'oc_x', value: REFRESH_A });
  expect(toast(next)).toBe('Refreshed.');
});

it('answers "temporarily unavailable" while the shared state cannot be reached, without crashing, and serves once it can', async () => {
  let down = false;
  const bot = await start({
    shared: (state) => ({
      ...state,
      intake: {
        ...state.intake,
        accept: (keys, entry) =>
          down ? Promise.reject(new BotError('unavailable', 'redis unreachable')) : state.intake.accept(keys, entry),
      },
    }),
  });
  down = true;
  const answer = await bot.press({ operatorOpenId: 'ou_a', messageId: 'om_card', chatId: 'oc_x', value: REFRESH_A });
  expect(answer.toast).toMatchObject({
    type: 'warning',
    i18n: { en_us: 'The bot is temporarily unavailable; try again shortly.' },
  });
  expect(bot.api.readUserCalls).toEqual([]);

  down = false;
  expect(
    toast(await bot.press({ operatorOpenId: 'ou_a', messageId: 'om_card', chatId: 'oc_x', value: REFRESH_A })),
  ).toBe('Refreshed.');
});

it('a refresh cut short because the shared state went away mid-press also answers "temporarily unavailable"', async () => {
  let down = false;
  const bot = await start({
    shared: (state) => ({
      ...state,
      history: {
        ...state.history,
        record: (snapshot, by) =>
          down ? Promise.reject(new BotError('unavailable', 'redis unreachable')) : state.history.record(snapshot, by),
      },
    }),
  });
  down = true;
  const answer = await bot.press({ operatorOpenId: 'ou_a', messageId: 'om_card', chatId: 'oc_x', value: REFRESH_A });
  expect(toast(answer)).toBe('The bot is temporarily unavailable; try again shortly.');
});
