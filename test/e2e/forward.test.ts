/**
 * FEISHU_FORWARD_URL over real HTTP: what the bot does not act on reaches a
 * local upstream byte for byte with its X-Lark-* headers, and the upstream's
 * answer goes back to Feishu; what the bot acts on never reaches it.
 */
import {
  cardActionEvent,
  feishuRequest,
  menuEvent,
  messageEvent,
  newMessageId,
} from '../../src/dev/demo/feishuEvents.js';
import { createForwarder } from '../../src/inbound/forwarder.js';
import { encryptPayload } from '../../src/inbound/http/cipher.js';
import { systemClock } from '../../src/domain/clock.js';
import { createLogger } from '../../src/app/log.js';
import { buttonValue } from '../support/cards.js';
import { APP, KEY, startHarness, TOKEN, type Harness } from '../support/harness.js';
import { Upstream } from '../support/upstream.js';

const upstream = new Upstream();
let h: Harness;
beforeAll(async () => {
  const url = await upstream.listen();
  h = await startHarness({
    forward: (metrics) =>
      createForwarder({ url, clock: systemClock, logger: createLogger('silent'), metrics, budgetMs: 300 }),
  });
});
afterAll(async () => {
  await h.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.received.length = 0;
  upstream.answer = { status: 200, body: '{}' };
});

const event = (eventType: string, event: unknown) => ({
  schema: '2.0',
  header: { event_id: newMessageId(), event_type: eventType, create_time: '1', token: TOKEN, app_id: APP.appId },
  event,
});

async function post(path: string, payload: unknown) {
  const req = feishuRequest(payload, KEY);
  const res = await fetch(`${h.url}${path}`, { method: 'POST', headers: req.headers, body: req.body });
  return { req, status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

/** The upstream checks a forwarded request as it checks one from Feishu: with the app's own keys. */
const upstreamCanVerify = (i = 0) => upstream.opened(i, { verificationToken: TOKEN, encryptKey: KEY });

it('passes an event type the bot does not handle on byte for byte, with its X-Lark-* headers, and answers with the upstream’s status', async () => {
  upstream.answer = { status: 200, body: '{"ok":true}' };
  const sent = await post('/webhook/event', event('im.chat.member.bot.added_v1', { chat_id: 'oc_new' }));
  expect(sent.status).toBe(200);
  expect(upstream.received).toHaveLength(1);
  const got = upstream.received[0]!;
  expect(got.body.toString('utf8')).toBe(sent.req.body);
  for (const name of ['x-lark-signature', 'x-lark-request-timestamp', 'x-lark-request-nonce'])
    expect(got.headers[name]).toBe(sent.req.headers[name]);
  upstreamCanVerify();

  // An upstream outage answers Feishu with its status, so Feishu delivers the event again later.
  upstream.answer = { status: 503, body: '{"error":"down"}' };
  expect((await post('/webhook/event', event('im.chat.member.bot.added_v1', { chat_id: 'oc_new' }))).status).toBe(503);
});

it('passes on messages that are not commands for the bot, and answers the commands itself', async () => {
  h.fake.setBatch('bm_mine', { kind: 'counts', read: 1, total: 2 });
  const chatter = messageEvent({ token: TOKEN, text: 'hello, is the report ready?', chatType: 'p2p' });
  const unmentioned = messageEvent({ token: TOKEN, text: '/reads bm_mine', chatType: 'group' });
  const command = messageEvent({ token: TOKEN, text: '/reads bm_mine', chatType: 'p2p', messageId: newMessageId() });
  // What the parser reads as meant for the bot stays with it: a bare id, a half-understood command.
  const bare = messageEvent({ token: TOKEN, text: 'bm_mine', chatType: 'p2p', messageId: newMessageId() });
  const nearMiss = messageEvent({
    token: TOKEN,
    text: '/reads bm_mine 2h',
    chatType: 'p2p',
    messageId: newMessageId(),
  });
  for (const m of [chatter, unmentioned, command, bare, nearMiss])
    expect((await post('/webhook/event', m)).status).toBe(200);
  expect(upstream.received.map((r) => r.body.toString('utf8'))).toHaveLength(2);
  const forwarded = upstream.received.map((_, i) => upstreamCanVerify(i));
  expect(forwarded.map((e) => e.kind === 'event' && e.eventId)).toEqual([
    chatter.header.event_id,
    unmentioned.header.event_id,
  ]);
  await h.bot.idle();
  const messageIdOf = (m: typeof chatter) => (m.event as { message: { message_id: string } }).message.message_id;
  expect(h.fake.repliesTo(messageIdOf(chatter))).toHaveLength(0); // no help card: that is the upstream's business
  for (const m of [command, bare, nearMiss]) expect(h.fake.repliesTo(messageIdOf(m))).toHaveLength(1);
});

it('passes on a card callback that is not one of its buttons and answers with the upstream’s answer as it is', async () => {
  const theirs = '{"toast":{"type":"success","content":"Approved"}}';
  upstream.answer = { status: 200, body: theirs, contentType: 'application/json; charset=utf-8' };
  const press = cardActionEvent({
    token: TOKEN,
    operatorOpenId: 'ou_x',
    messageId: 'om_theirs',
    chatId: 'oc_x',
    value: { action: 'approve', request: 42 },
  });
  const sent = await post('/webhook/card', press);
  expect(sent).toMatchObject({ status: 200, text: theirs, type: 'application/json; charset=utf-8' });
  expect(upstream.received[0]!.body.toString('utf8')).toBe(sent.req.body);
  upstreamCanVerify();

  // One of the bot's own buttons stays with the bot.
  h.fake.setBatch('bm_button', { kind: 'counts', read: 1, total: 2 });
  const { messageId } = await h.send('/reads bm_button');
  const reply = await h.onlyReply(messageId);
  const ours = await h.press({
    operatorOpenId: 'ou_x',
    messageId: reply.messageId,
    chatId: 'oc_x',
    value: buttonValue(reply.card, 'Refresh'),
  });
  expect(ours.answer.toast).toMatchObject({ i18n: { en_us: 'Refreshed.' } });
  expect(upstream.received).toHaveLength(1);
});

it('passes on presses of menu items that are not the bot’s, and keeps its own', async () => {
  const press = (eventKey: string) => menuEvent({ token: TOKEN, eventKey, operatorOpenId: 'ou_menu' });
  expect((await post('/webhook/event', press('approvals'))).status).toBe(200);
  expect((await post('/webhook/event', press('reads'))).status).toBe(200);
  expect(upstream.received.map((_, i) => upstreamCanVerify(i))).toEqual([
    expect.objectContaining({
      eventType: 'application.bot.menu_v6',
      event: expect.objectContaining({ event_key: 'approvals' }),
    }),
  ]);
});

it('passes on schema 1.0 requests, which are never the bot’s', async () => {
  const legacy = { token: TOKEN, type: 'event_callback', event: { type: 'message' } };
  const sent = await post('/webhook/card', legacy);
  expect(sent.status).toBe(200);
  expect(upstream.received[0]!.body.toString('utf8')).toBe(sent.req.body);
});

it('answers the URL challenge itself', async () => {
  // Feishu sends it encrypted but unsigned.
  const challenge = JSON.stringify({ type: 'url_verification', challenge: 'c1', token: TOKEN });
  const res = await h.post(JSON.stringify({ encrypt: encryptPayload(challenge, KEY) }), {
    'content-type': 'application/json',
  });
  expect(await res.json()).toEqual({ challenge: 'c1' });
  expect(upstream.received).toHaveLength(0);
});

it('an upstream that does not answer within the budget gets 504, and forwarding is counted in /metrics', async () => {
  upstream.answer = { status: 200, body: '{}', hang: true };
  expect((await post('/webhook/event', event('contact.user.created_v3', {}))).status).toBe(504);
  const metrics = await (await fetch(`${h.url}/metrics`)).text();
  expect(metrics).toMatch(/feishu_reads_bot_forwarded_total\{kind="event",result="timeout"\} 1/);
  expect(metrics).toMatch(/feishu_reads_bot_forwarded_total\{kind="callback",result="200"\} [1-9]/);
  expect(metrics).toMatch(/feishu_reads_bot_forward_duration_seconds_count\{kind="event"\} [1-9]/);
});

it('an upstream that cannot be reached gets 502', async () => {
  const down = await startHarness({
    forward: (metrics) =>
      createForwarder({ url: 'http://127.0.0.1:1/x', clock: systemClock, logger: createLogger('silent'), metrics }),
  });
  try {
    const req = feishuRequest(event('contact.user.created_v3', {}), KEY);
    const res = await down.post(req.body, req.headers);
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ error: 'forward target unreachable' });
  } finally {
    await down.close();
  }
});
