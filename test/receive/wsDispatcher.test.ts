import { chatEnteredEvent, menuEvent, messageEvent } from '../../src/demo/feishuEvents.js';
import { createLogger } from '../../src/log.js';
import { createWsDispatcher, routedFromFlat } from '../../src/receive/wsDispatcher.js';
import type { RoutedEvent } from '../../src/events/entry.js';

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
    entry: { accepting: () => accepting, onEvent: async (e) => void handed.push(e), onCardAction: async () => ({}) },
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
    entry: { accepting: () => true, onEvent: async (e) => void handed.push(e), onCardAction: async () => ({}) },
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
