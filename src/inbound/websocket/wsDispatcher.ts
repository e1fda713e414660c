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
import { sdkLogger } from '../../feishu/api/openApi.js';
import type { EventInbox, RoutedEvent } from '../eventInbox.js';
import type { Forward } from '../forwarder.js';
import { feishuRequest } from '../http/seal.js';

// The connection itself is authenticated with the app secret, so frames carry no signature to check.
const flatSchema = z.looseObject({ event_id: z.string().min(1), event_type: z.string().min(1) });

/** The flattened envelope as a RoutedEvent: its own fields are the event's (sender, message, operator, action…). Pure. */
export function routedFromFlat(data: unknown): RoutedEvent | undefined {
  const flat = flatSchema.safeParse(data);
  return flat.success ? { eventId: flat.data.event_id, eventType: flat.data.event_type, event: flat.data } : undefined;
}

export interface WsDispatcherDeps {
  entry: EventInbox;
  encryptKey?: string;
  logger: Logger;
  /** FEISHU_FORWARD_URL: what the bot does not act on goes there, as a webhook would have received it. */
  forward?: WsForwarding;
}

export interface WsForwarding {
  forward: Forward;
  /** The app's own keys: the upstream checks a forwarded event as it checks one from Feishu. */
  verificationToken: string;
  encryptKey?: string;
  now: () => number;
}

const envelopeSchema = z.looseObject({
  schema: z.literal('2.0'),
  header: z.looseObject({ event_id: z.string().min(1), event_type: z.string().min(1) }),
  event: z.unknown(),
});

/** A frame's envelope (schema 2.0) as a RoutedEvent, or undefined (a schema 1.0 event: never the bot's). Pure. */
export function routedFromEnvelope(data: unknown): RoutedEvent | undefined {
  const envelope = envelopeSchema.safeParse(data);
  if (!envelope.success) return undefined;
  const { header, event } = envelope.data;
  return { eventId: header.event_id, eventType: header.event_type, event };
}

/**
 * Passes a frame on as Feishu would have posted it: carrying the verification
 * token, encrypted and signed with the encrypt key. An event the upstream
 * refused is refused here too (a throw: Feishu pushes it again); a callback
 * is answered with the upstream's answer.
 */
async function forwardFrame(data: unknown, o: WsForwarding): Promise<unknown> {
  const withToken = withVerificationToken(data, o.verificationToken);
  const kind = routedFromEnvelope(data)?.eventType === 'card.action.trigger' ? 'callback' : 'event';
  const { body, headers } = feishuRequest(withToken, o.encryptKey, o.now());
  const upstream = await o.forward(kind, Buffer.from(body), headers);
  if (upstream.status < 200 || upstream.status >= 300) {
    throw new Error(`forward target answered ${upstream.status}; Feishu pushes this one again later`);
  }
  if (kind === 'event') return undefined;
  return JSON.parse(upstream.body.toString('utf8')) as unknown;
}

/** The token where a webhook request carries it: header.token (schema 2.0) or token (1.0). */
function withVerificationToken(data: unknown, token: string): unknown {
  const o = data as Record<string, unknown>; // WSClient hands on parsed JSON objects
  if (o.schema === '2.0') return { ...o, header: { ...(o.header as object), token } };
  return { ...o, token };
}

/**
 * A throw makes the SDK answer the frame with an error, so Feishu pushes the
 * event again later — the webhook's 503.
 */
export function createWsDispatcher({ entry, encryptKey, logger, forward }: WsDispatcherDeps): lark.EventDispatcher {
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
  // WSClient hands every frame's envelope to invoke(): what the bot does not act on is passed on there, before the SDK flattens it.
  class Dispatcher extends lark.EventDispatcher {
    override async invoke(data: unknown, params?: { needCheck?: boolean }): Promise<unknown> {
      if (forward) {
        const event = routedFromEnvelope(data);
        if (!event || !entry.actsOn(event)) {
          if (!entry.accepting()) throw new Error('not accepting events right now; Feishu pushes this one again later');
          return forwardFrame(data, forward);
        }
      }
      return super.invoke(data, params);
    }
  }
  return new Dispatcher({
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
