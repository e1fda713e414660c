/** Where verified events come in, whatever carries them: the webhook and the long connection are its two receivers. */
import type { ActionAnswer } from '../cards/toasts.js';

/** A verified event, as Feishu's envelope (schema 2.0) carries it. */
export interface RoutedEvent {
  eventId: string;
  eventType: string;
  event: unknown;
}

export interface EventInbox {
  /** Events are taken (false while starting or shutting down: they get 503 and Feishu redelivers). Cheap: asked on every event. */
  accepting(): boolean;
  /** Resolves once the event is recorded (de-duplication, journal); rejects when that cannot be done now. */
  onEvent(event: RoutedEvent): Promise<unknown>;
  /**
   * Whether the bot acts on this event or callback: a type it handles, a
   * command for it, one of its buttons. What it does not act on goes on to
   * FEISHU_FORWARD_URL when that is set. Cheap and pure: asked before recording.
   */
  actsOn(event: RoutedEvent): boolean;
  /** A card button press; resolves to the callback's answer (toast, new card). */
  onCardAction(event: RoutedEvent): Promise<ActionAnswer>;
}
