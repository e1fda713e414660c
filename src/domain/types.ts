/**
 * What the bot's parts talk about: the commands it journals, the snapshots it
 * takes, the watches it drives. The stores keep them, the cards show them;
 * neither owns them, so both import them from here.
 */

/** An accepted command, journaled until it is answered (or fails for good). */
export interface JournalEntry {
  messageId: string;
  eventId: string;
  chatId: string;
  chatType: string;
  senderOpenId?: string;
  senderUserId?: string;
  text?: string;
  acceptedAt: number;
  /** Set while it waits for Feishu (an outage): since when Feishu was unavailable for it. */
  waitingSince?: number;
  /** Tries that found Feishu unavailable. */
  attempts?: number;
  /** The answer, built already, whose reply found Feishu unavailable: only the reply is tried again. */
  card?: object;
  /** When the numbers of `card` were taken. */
  takenAt?: number;
  /** The people the message @mentions besides the bot (a `/send`'s recipients may be among them). */
  mentions?: Mention[];
}

/** A person a message @mentions: the placeholder its text holds for them (`@_user_1`), and who they are. */
export interface Mention {
  key: string;
  openId: string;
  name?: string;
}

/** The two counts read_user answers with. */
export interface ReadCounts {
  readCount: number;
  totalCount: number;
}

/** The counts of one batch message at one moment. */
export interface Snapshot extends ReadCounts {
  batchId: string;
  takenAt: number;
}

/** `failed`: Feishu refused for good (the code is kept in `endedBy`). */
export type WatchEnd = 'all_read' | 'time_up' | 'stopped' | 'failed';

/** A card that keeps updating itself. */
export interface Watch {
  id: string;
  batchId: string;
  chatId: string;
  /** The card message the watch keeps updating. */
  cardMessageId: string;
  startedBy: string;
  startedAt: number;
  until: number;
  intervalMs: number;
  nextAt: number;
  endedReason?: WatchEnd;
  endedBy?: string;
  endedAt?: number;
}

/** Why a new watch may not start. */
export type WatchRefusal = 'already_watched' | 'too_many_in_chat' | 'too_many_for_person' | 'too_many';

/** Values the card's buttons send back (card.action.trigger). */
export type CardAction =
  /** `at`: when the snapshot the card showed was taken (what its refresh compares with). */
  | { a: 'refresh'; ids: string[]; w?: string; at?: number }
  | { a: 'stop_watch'; w: string }
  /** Restarts the watch from now for `d` ms, updating every `i` ms. */
  | { a: 'extend_watch'; w: string; d: number; i: number }
  | { a: 'delivery'; id: string }
  /** The query form's submit button; `text` is what was typed in the form's input (form_value). */
  | { a: 'query_form'; text?: string }
  // Sending a batch message; `s` is the send's id (Send.id).
  /** Opens the form to write a batch message. */
  | { a: 'send_form' }
  /** The send form's submit button; the handler fills `text` and `to` from form_value. */
  /** `s`: the draft an edited form rewrites. */
  | { a: 'send_preview'; text?: string; to?: string; s?: string }
  | { a: 'send_confirm'; s: string }
  /** Shows the form again, filled in with the draft. */
  | { a: 'send_edit'; s: string }
  | { a: 'send_cancel'; s: string }
  /** Tries a failed or unconfirmed send again. */
  | { a: 'send_again'; s: string }
  /** Asks to confirm the recall. */
  | { a: 'recall'; s: string }
  | { a: 'recall_confirm'; s: string }
  | { a: 'recall_keep'; s: string }
  /** Opens a send's card from the `/sent` list. */
  | { a: 'open_send'; s: string };

/** The Feishu endpoints the bot calls, as logs and metrics name them. */
export type Endpoint =
  | 'read_user'
  | 'get_progress'
  | 'reply'
  | 'send'
  | 'patch'
  | 'bot_info'
  | 'chat_info'
  | 'user_info'
  | 'app_scopes'
  | 'batch_send'
  | 'recall';

/** What get_progress answers: the delivery funnel of a batch message, and its recall. */
export interface DeliveryCounts {
  /** Valid recipients, including people the bot cannot see (so delivered may stay below it). */
  validCount: number;
  deliveredCount: number;
  readCount: number;
  recalled: boolean;
  recallCount: number;
}

/** The delivery funnel of one batch message at one moment. */
export interface Progress extends DeliveryCounts {
  batchId: string;
  takenAt: number;
}

/**
 * The classes of work, most urgent first: a person's command, bulk (a
 * chat's backlog, many-id commands), watches (src/scheduling/lanes.ts).
 */
export const WORK_CLASSES = ['person', 'bulk', 'watch'] as const;
export type WorkClass = (typeof WORK_CLASSES)[number];
