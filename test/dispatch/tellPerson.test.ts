/**
 * Cards sent one-to-one on the bot's own account (the menu's answers, the
 * greeting): after the acknowledgement, within the person's rate and the
 * access policy, and a greeting that could not be sent is tried again.
 * While Feishu is down they wait for it, as commands do, up to the hour.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RoutedEvent } from '../../src/inbound/eventInbox.js';
import { chatEnteredEvent, menuEvent } from '../../src/dev/demo/feishuEvents.js';
import { cardText } from '../support/cards.js';
import { capturedLogs } from '../support/capturedLogs.js';
import { feishuError, serverError, startInProcessBot, type InProcessBot } from '../support/inProcessBot.js';

let b: InProcessBot;
afterEach(() => b.close());

const routed = (envelope: { header: Record<string, string>; event: unknown }): RoutedEvent => ({
  eventId: envelope.header.event_id!,
  eventType: envelope.header.event_type!,
  event: envelope.event,
});
const pressMenu = (key: string, openId: string) =>
  b.bot.events.onEvent(routed(menuEvent({ token: 't', eventKey: key, operatorOpenId: openId })));
const enter = (openId: string) =>
  b.bot.events.onEvent(routed(chatEnteredEvent({ token: 't', operatorOpenId: openId, chatId: `oc_${openId}` })));
const allowlist = { kind: 'allowlist' as const, users: new Set(['ou_in']), departments: new Set<string>() };

it('tells someone the access policy refuses, when they press the menu, why; and does not greet them', async () => {
  b = await startInProcessBot({ access: allowlist });
  expect(await pressMenu('reads', 'ou_out')).toBe('accepted');
  expect(await enter('ou_out')).toBe('accepted');
  await b.idle();
  expect(b.api.sent).toHaveLength(1);
  expect(b.api.sent[0]!.to).toEqual({ openId: 'ou_out' });
  expect(cardText(b.api.sent[0]!.card, 'en')).not.toContain('Query read counts');
  expect(JSON.stringify(b.api.sent[0]!.card)).not.toContain('"tag":"form"');

  await pressMenu('reads', 'ou_in');
  await b.idle();
  expect(cardText(b.api.sent[1]!.card, 'en')).toContain('Query read counts');
  expect(await b.shared.greetings.mark('ou_out', b.clock.now())).toBe(true); // not greeted: once allowed, greeted
});

it('answers menu presses within the person’s commands a minute, and no more', async () => {
  b = await startInProcessBot({ limits: { maxPending: 100, maxPendingPerChat: 20, userCommandsPerMinute: 2 } });
  for (let i = 0; i < 3; i++) await pressMenu('help', 'ou_busy');
  await b.idle();
  expect(b.api.sent).toHaveLength(2);
});

it('a greeting that could not be sent is forgotten, so the next visit greets again', async () => {
  b = await startInProcessBot();
  b.api.onSend = () => Promise.reject(feishuError(230013));
  expect(await enter('ou_new')).toBe('accepted');
  await b.idle();
  expect(b.api.sent).toHaveLength(0);
  b.api.onSend = undefined;
  expect(await enter('ou_new')).toBe('accepted');
  await b.idle();
  expect(b.api.sent).toHaveLength(1);
  expect(await enter('ou_new')).toBe('ignored');
});

it('acknowledges and ignores menu and chat-entered events it cannot read', async () => {
  b = await startInProcessBot();
  const odd = (eventType: string) => b.bot.events.onEvent({ eventId: `ev_${eventType}`, eventType, event: { x: 1 } });
  expect(await odd('application.bot.menu_v6')).toBe('ignored');
  expect(await odd('im.chat.access_event.bot_p2p_chat_entered_v1')).toBe('ignored');
  const again = routed(menuEvent({ token: 't', eventKey: 'reads', operatorOpenId: 'ou_x', eventId: 'ev_same' }));
  expect(await b.bot.events.onEvent(again)).toBe('accepted');
  expect(await b.bot.events.onEvent(again)).toBe('duplicate');
  const entered = routed(chatEnteredEvent({ token: 't', operatorOpenId: 'ou_y', chatId: 'oc_y', eventId: 'ev_in' }));
  expect(await b.bot.events.onEvent(entered)).toBe('accepted');
  expect(await b.bot.events.onEvent(entered)).toBe('duplicate');
});

it('tells a person whose access could not be checked so, on the menu', async () => {
  b = await startInProcessBot({
    access: { kind: 'allowlist', users: new Set<string>(), departments: new Set(['od_team']) },
  });
  b.api.userDepartments = () => Promise.reject(feishuError(41050));
  await pressMenu('help', 'ou_unknown');
  await b.idle();
  expect(b.api.sent).toHaveLength(1);
  expect(JSON.stringify(b.api.sent[0]!.card)).toContain('41050');
});

const MINUTE = 60_000;
const BREAKER = { failuresToOpen: 3, baseDelayMs: 1_000, maxDelayMs: 4_000 };
const RETRY = { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 100, budgetMs: 1_000 };

/** Feishu answers 503 to sends, the access check's department lookup and the breaker's probe while `down.now`. */
function outage(bot: InProcessBot) {
  const down = { now: true };
  const failWhileDown = <T>(): Promise<T> | undefined => (down.now ? Promise.reject(serverError(503)) : undefined);
  bot.api.onSend = failWhileDown;
  bot.api.onBotInfo = failWhileDown;
  bot.api.userDepartments = () => failWhileDown<string[]>() ?? Promise.resolve(['od_team']);
  return down;
}
const team = { kind: 'allowlist' as const, users: new Set<string>(), departments: new Set(['od_team']) };

it('a menu answer and a greeting wait for Feishu during an outage and go out once it is back, once each', async () => {
  b = await startInProcessBot({ access: team, breaker: BREAKER, retry: RETRY });
  const down = outage(b);
  await pressMenu('reads', 'ou_member');
  await enter('ou_newcomer');
  await b.clock.advance(10 * MINUTE);
  expect(b.api.sent).toEqual([]);
  expect(await enter('ou_newcomer')).toBe('ignored'); // its greeting is on its way: not a second one
  down.now = false;
  await b.drive(() => b.api.sent.length === 2, 'both cards to go out', 1_000, 30);
  await b.idle();
  expect(b.api.sent.map((m) => m.to)).toEqual(
    expect.arrayContaining([{ openId: 'ou_member' }, { openId: 'ou_newcomer' }]),
  );
  const menuCard = b.api.sent.find((m) => 'openId' in m.to && m.to.openId === 'ou_member')!.card;
  expect(cardText(menuCard, 'en')).toContain('Query read counts'); // the access check waited too: allowed
  expect(await enter('ou_newcomer')).toBe('ignored'); // greeted
});

it('a greeting Feishu stays down for over an hour is given up, logged, and tried again on the next visit', async () => {
  const logs = capturedLogs('error');
  b = await startInProcessBot({ breaker: BREAKER, retry: RETRY, logger: logs.logger });
  const down = outage(b);
  await enter('ou_patient');
  await b.drive(
    () => logs.text().includes('could not send the card one-to-one'),
    'the greeting to be given up',
    MINUTE,
    70,
  );
  await b.idle();
  expect(b.api.sent).toEqual([]);
  down.now = false;
  await b.drive(() => b.bot.readiness().checks.feishu === true, 'Feishu to be back', 1_000, 30);
  expect(await enter('ou_patient')).toBe('accepted');
  await b.idle();
  expect(b.api.sent).toHaveLength(1);
});

it('a greeting still waiting for Feishu when the bot stops is forgotten, so the next start greets', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'reads-greet-'));
  try {
    const dbPath = join(dir, 'bot.db');
    b = await startInProcessBot({ breaker: BREAKER, retry: RETRY, dbPath });
    outage(b);
    await enter('ou_restart');
    await b.clock.advance(MINUTE);
    await b.close();
    expect(b.api.sent).toEqual([]);
    b = await startInProcessBot({ dbPath });
    expect(await enter('ou_restart')).toBe('accepted');
    await b.idle();
    expect(b.api.sent).toHaveLength(1);
  } finally {
    await b.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10 });
  }
});
