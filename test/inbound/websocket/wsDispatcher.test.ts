import { cardActionEvent, chatEnteredEvent, menuEvent, messageEvent } from '../../../src/dev/demo/feishuEvents.js';
import { answer } from '../../../src/cards/toasts.js';
import { systemClock } from '../../../src/domain/clock.js';
import { createForwarder } from '../../../src/inbound/forwarder.js';
import { noMetrics } from '../../../src/domain/metrics.js';
import { Upstream } from '../../support/upstream.js';
import { createLogger } from '../../../src/app/log.js';
import { createWsDispatcher, routedFromFlat } from '../../../src/inbound/websocket/wsDispatcher.js';
import type { RoutedEvent } from '../../../src/inbound/eventInbox.js';

const logger = createLogger('silent');

it('reads the flattened envelope the SDK hands its handlers as the webhook’s RoutedEvent', () => {
  const flat = { event_id: 'ev1', event_type: 'im.message.receive_v1', message: { message_id: 'om_1' } };
  expect(routedFromFlat(flat)).toEqual({ eventId: 'ev1', eventType: 'im.message.receive_v1', event: flat });
  expect(routedFromFlat({ event_type: 'im.message.receive_v1' })).toBeUndefined();
});

it('refuses a message while the bot is not taking events, so Feishu pushes it again', async () => {
  const handed: RoutedEvent[] = [];
  let accepting = false;
  const dispatcher = createWsDispatcher({
    entry: {
      accepting: () => accepting,
      actsOn: () => true,
      onEvent: async (e) => void handed.push(e),
      onCardAction: async () => ({}),
    },
    logger,
  });
  const event = messageEvent({ token: 't', text: '/help', eventId: 'ev_later' });
  await expect(dispatcher.invoke(event, { needCheck: false })).rejects.toThrow(/not accepting/);
  expect(handed).toEqual([]);
  accepting = true;
  await dispatcher.invoke(event, { needCheck: false });
  expect(handed.map((e) => e.eventId)).toEqual(['ev_later']);
});

it('hands menu presses and chat entries over the long connection to the same entry as messages', async () => {
  const handed: RoutedEvent[] = [];
  const dispatcher = createWsDispatcher({
    entry: {
      accepting: () => true,
      actsOn: () => true,
      onEvent: async (e) => void handed.push(e),
      onCardAction: async () => ({}),
    },
    logger,
  });
  await dispatcher.invoke(menuEvent({ token: 't', eventKey: 'reads', operatorOpenId: 'ou_a', eventId: 'ev_menu' }), {
    needCheck: false,
  });
  await dispatcher.invoke(chatEnteredEvent({ token: 't', operatorOpenId: 'ou_a', chatId: 'oc_a', eventId: 'ev_in' }), {
    needCheck: false,
  });
  expect(handed.map((e) => [e.eventId, e.eventType])).toEqual([
    ['ev_menu', 'application.bot.menu_v6'],
    ['ev_in', 'im.chat.access_event.bot_p2p_chat_entered_v1'],
  ]);
});

describe('with FEISHU_FORWARD_URL', () => {
  const upstream = new Upstream();
  let url: string;
  beforeAll(async () => {
    url = await upstream.listen();
  });
  afterAll(() => upstream.close());
  beforeEach(() => {
    upstream.received.length = 0;
    upstream.answer = { status: 200, body: '{}' };
  });

  const KEY = 'app-encrypt-key';
  const TOKEN = 'app-verification-token';
  function forwarding(actsOn: (e: RoutedEvent) => boolean, accepting = () => true) {
    const handed: RoutedEvent[] = [];
    const forward = createForwarder({ url, clock: systemClock, logger, metrics: noMetrics });
    const dispatcher = createWsDispatcher({
      entry: {
        accepting,
        actsOn,
        onEvent: async (e) => void handed.push(e),
        onCardAction: async () => answer('refreshed'),
      },
      logger,
      forward: { forward, verificationToken: TOKEN, encryptKey: KEY, now: () => Date.now() },
    });
    return { dispatcher, handed };
  }
  /** What reached the upstream, opened as the upstream opens a webhook request: with the app's keys. */
  const asWebhookSawIt = (i = 0) => upstream.opened(i, { verificationToken: TOKEN, encryptKey: KEY });

  it('posts an event the bot does not act on as a webhook would receive it: signed, encrypted, with the token', async () => {
    const { dispatcher, handed } = forwarding(() => false);
    // Long-connection frames carry no token of their own to check.
    const frame = { ...messageEvent({ token: '', text: 'hello', eventId: 'ev_theirs' }) };
    await dispatcher.invoke(frame, { needCheck: false });
    expect(handed).toEqual([]);
    expect(asWebhookSawIt()).toEqual({
      kind: 'event',
      eventId: 'ev_theirs',
      eventType: 'im.message.receive_v1',
      event: frame.event,
    });

    upstream.answer = { status: 500, body: '{}' };
    await expect(dispatcher.invoke(frame, { needCheck: false })).rejects.toThrow(/answered 500/);
  });

  it('answers a callback that is not one of its buttons with the upstream’s answer; its own go to the bot', async () => {
    upstream.answer = { status: 200, body: '{"toast":{"type":"info","content":"theirs"}}' };
    const { dispatcher } = forwarding((e) => e.eventId === 'ev_mine');
    const press = (eventId: string) =>
      cardActionEvent({ token: '', operatorOpenId: 'ou_x', messageId: 'om_x', chatId: 'oc_x', value: {}, eventId });
    expect(await dispatcher.invoke(press('ev_theirs'), { needCheck: false })).toEqual({
      toast: { type: 'info', content: 'theirs' },
    });
    expect(await dispatcher.invoke(press('ev_mine'), { needCheck: false })).toEqual(answer('refreshed'));
    expect(upstream.received).toHaveLength(1);
  });

  it('passes on schema 1.0 frames, carrying the token; refuses while the bot is not taking events', async () => {
    let accepting = false;
    const { dispatcher } = forwarding(
      () => true,
      () => accepting,
    );
    const legacy = { type: 'event_callback', event: { type: 'message' } };
    await expect(dispatcher.invoke(legacy, { needCheck: false })).rejects.toThrow(/not accepting/);
    accepting = true;
    await dispatcher.invoke(legacy, { needCheck: false });
    expect(asWebhookSawIt()).toEqual({ kind: 'legacy', eventType: 'message' });
  });
});
