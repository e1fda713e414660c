/**
 * Long-connection events into the bot's one entry: the SDK's WSClient hands
 * each event frame to an EventDispatcher, which calls the handler for its
 * type with the envelope flattened (header and event fields side by side).
 * They become the same RoutedEvent the webhook hands on, so de-duplication,
 * the journal and the queue are the webhook's own.
 */
import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from 'pino';
import { z } from 'zod';
import { sdkLogger } from '../feishu/openApi.js';
import type { EventEntry, RoutedEvent } from '../events/entry.js';

// The connection itself is authenticated with the app secret, so frames carry no signature to check.
const flatSchema = z.looseObject({ event_id: z.string().min(1), event_type: z.string().min(1) });

/** The flattened envelope as a RoutedEvent: its own fields are the event's (sender, message, operator, action…). Pure. */
export function routedFromFlat(data: unknown): RoutedEvent | undefined {
  const flat = flatSchema.safeParse(data);
  return flat.success ? { eventId: flat.data.event_id, eventType: flat.data.event_type, event: flat.data } : undefined;
}

export interface WsDispatcherDeps {
  entry: EventEntry;
  encryptKey?: string;
  logger: Logger;
}

/**
 * A throw makes the SDK answer the frame with an error, so Feishu pushes the
 * event again later — the webhook's 503.
 */
export function createWsDispatcher({ entry, encryptKey, logger }: WsDispatcherDeps): lark.EventDispatcher {
  const routed = (data: unknown): RoutedEvent | undefined => {
    const event = routedFromFlat(data);
    if (!event) logger.warn('long-connection event without event_id or event_type; ignored');
    return event;
  };
  const onEvent = async (data: object) => {
    const event = routed(data);
    if (!event) return;
    if (!entry.accepting()) throw new Error('not accepting events right now; Feishu pushes this one again later');
    await entry.onEvent(event);
  };
  return new lark.EventDispatcher({
    encryptKey,
    logger: sdkLogger(logger),
    loggerLevel: lark.LoggerLevel.trace,
  }).register({
    'im.message.receive_v1': onEvent,
    'application.bot.menu_v6': onEvent,
    'im.chat.access_event.bot_p2p_chat_entered_v1': onEvent,
    'card.action.trigger': async (data: object) => {
      const event = routed(data);
      return event ? entry.onCardAction(event) : {};
    },
  });
}
