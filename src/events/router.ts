/**
 * Routes verified events: records them as seen and journals the messages
 * addressed to the bot — in one step, so a redelivery is never handled twice
 * and an accepted command is never lost — then hands those on. Resolves once
 * the event is recorded, so the webhook answers 200 only then; rejects when
 * the shared state cannot be reached (the webhook answers 503).
 */
import type { Logger } from 'pino';
import type { RoutedEvent } from './entry.js';
import { isAddressedToBot, readMessageEvent } from './messageEvent.js';
import type { JournalEntry } from '../domain/types.js';

export interface RouterDeps {
  botOpenId: () => string | undefined;
  /** Records the keys as seen and journals the entry; false when a key was seen before. */
  accept: (keys: string[], entry?: JournalEntry) => Promise<boolean>;
  onAccepted: (entry: JournalEntry) => void;
  now: () => number;
  logger: Logger;
}

export type RouteOutcome = 'accepted' | 'duplicate' | 'not_for_bot' | 'ignored';

export async function routeEvent({ eventId, eventType, event }: RoutedEvent, deps: RouterDeps): Promise<RouteOutcome> {
  // Only the rare outcomes log, so the child logger is made only for them, not on every accepted event.
  const log = () => deps.logger.child({ event_id: eventId, event_type: eventType });
  if (eventType !== 'im.message.receive_v1') {
    log().debug('event type not handled; acknowledged');
    return 'ignored';
  }
  const message = readMessageEvent(event, deps.botOpenId() ?? '');
  if (!message) {
    log().warn('message event in an unexpected shape; acknowledged and ignored');
    return 'ignored';
  }
  const addressed = isAddressedToBot(message);
  const entry: JournalEntry | undefined = addressed
    ? {
        messageId: message.messageId,
        eventId,
        chatId: message.chatId,
        chatType: message.chatType,
        senderOpenId: message.senderOpenId,
        senderUserId: message.senderUserId,
        text: message.text,
        acceptedAt: deps.now(),
      }
    : undefined;
  if (!(await deps.accept([`event:${eventId}`, `message:${message.messageId}`], entry))) {
    log().info({ message_id: message.messageId }, 'redelivery ignored');
    return 'duplicate';
  }
  if (!entry) return 'not_for_bot';
  deps.onAccepted(entry);
  return 'accepted';
}
