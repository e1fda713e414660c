/**
 * Routes verified events: drops redeliveries, keeps messages addressed to the
 * bot, ignores the rest. Synchronous, so the webhook can answer at once.
 */
import type { Logger } from 'pino';
import type { Deduplicator } from './dedupe.js';
import { isAddressedToBot, readMessageEvent, type IncomingMessage } from './messageEvent.js';

export interface RoutedEvent {
  eventId: string;
  eventType: string;
  event: unknown;
}

export interface RouterDeps {
  dedupe: Deduplicator;
  botOpenId: () => string | undefined;
  onMessage: (message: IncomingMessage, eventId: string) => void;
  logger: Logger;
}

export type RouteOutcome = 'accepted' | 'duplicate' | 'not_for_bot' | 'ignored';

export function routeEvent({ eventId, eventType, event }: RoutedEvent, deps: RouterDeps): RouteOutcome {
  const log = deps.logger.child({ event_id: eventId, event_type: eventType });
  if (eventType !== 'im.message.receive_v1') {
    log.debug('event type not handled; acknowledged');
    return 'ignored';
  }
  const message = readMessageEvent(event, deps.botOpenId() ?? '');
  if (!message) {
    log.warn('message event in an unexpected shape; acknowledged and ignored');
    return 'ignored';
  }
  if (deps.dedupe.seenBefore([`event:${eventId}`, `message:${message.messageId}`])) {
    log.info({ message_id: message.messageId }, 'redelivery ignored');
    return 'duplicate';
  }
  if (!isAddressedToBot(message)) return 'not_for_bot';
  deps.onMessage(message, eventId);
  return 'accepted';
}
