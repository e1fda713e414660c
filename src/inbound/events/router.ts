/**
 * Hands each verified event to the handler registered for its type. Handlers
 * record what they accept as seen — and journal the commands — in one step,
 * so a redelivery is never handled twice and an accepted command is never
 * lost. Resolves once the event is recorded, so the webhook answers 200 only
 * then; rejects when the shared state cannot be reached (the webhook answers 503).
 */
import type { Logger } from 'pino';
import type { Card } from '../../cards/card.js';
import type { JournalEntry } from '../../domain/types.js';
import type { Greetings } from '../../state/sharedState.js';
import type { RoutedEvent } from '../eventInbox.js';
import type { SendPermission } from '../../domain/send.js';
import type { Person } from './personEvents.js';

export interface TellOptions {
  /** Counted against the person's commands a minute (a menu press; not a greeting). */
  asCommand: boolean;
  /** When the access policy refuses the person: tell them so, or send nothing. */
  whenRefused: 'tell' | 'skip';
  /** Runs when the card was not sent (it failed, or the access policy refused the person). */
  unsent?: () => Promise<void>;
}

export type RouteOutcome = 'accepted' | 'duplicate' | 'not_for_bot' | 'ignored';

export interface EventContext {
  botOpenId(): string | undefined;
  /** Records the keys as seen and journals the entry; false when a key was seen before. */
  accept(keys: string[], entry?: JournalEntry): Promise<boolean>;
  /** Queues a journaled command to be answered. */
  schedule(entry: JournalEntry): void;
  now(): number;
  /** Sends the person `card` one-to-one, after the acknowledgement (message create, with `uuid`). */
  tellPerson(person: Person, card: Card, uuid: string, options: TellOptions): void;
  /** Who was greeted in the one-to-one chat. */
  greetings: Greetings;
  /** Whether the person may send batch messages (SENDERS). */
  sendPermission(person: Person): SendPermission;
  /** A logger for this event (made only when asked: most events never log). */
  log(): Logger;
}

export type EventHandler = (event: RoutedEvent, ctx: EventContext) => Promise<RouteOutcome>;

/** Whether the bot acts on an event of its handler's type (pure; given the bot's open_id once known). */
export type ActsOn = (event: RoutedEvent, botOpenId: string | undefined) => boolean;

export async function routeEvent(
  event: RoutedEvent,
  handlerFor: (eventType: string) => EventHandler | undefined,
  ctx: EventContext,
): Promise<RouteOutcome> {
  const handler = handlerFor(event.eventType);
  if (handler) return handler(event, ctx);
  ctx.log().debug('event type not handled; acknowledged');
  return 'ignored';
}
