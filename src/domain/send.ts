/**
 * Sending a batch message through the bot (POST /open-apis/message/v4/batch_send/,
 * 批量发送消息.md), tracking it, and recalling it (DELETE
 * /open-apis/im/v1/batch_messages/:id, 批量撤回消息.md): who it goes to, the
 * draft its sender confirms, and each state a send passes through.
 */

/** The recipients of one batch message, as the batch-send API takes them: each list at most MAX_PER_LIST ids. */
export interface Recipients {
  /** Open department ids (`od-…`): a department includes its sub-departments; never the root `0`. */
  departments: string[];
  /** People by open id (`ou_…`), typed or @mentioned. */
  openIds: string[];
  /** People by user id (the tenant's own ids). */
  userIds: string[];
  /** People by union id (`on_…`). */
  unionIds: string[];
}

export const RECIPIENT_LISTS = ['departments', 'openIds', 'userIds', 'unionIds'] as const satisfies ReadonlyArray<
  keyof Recipients
>;
export type RecipientList = (typeof RECIPIENT_LISTS)[number];

/** Feishu takes at most this many ids in one list (批量发送消息.md). */
export const MAX_PER_LIST = 200;

/** A recipient that cannot be sent to, and why: named on the preview, and never sent. */
export interface Unusable {
  given: string;
  why: 'not_an_id' | 'root_department' | 'over_limit';
}

/** A draft may be confirmed within this long of its preview; after that it is offered afresh. */
export const DRAFT_TTL_MS = 30 * 60_000;
/** The longest message: what the form's input takes (a card input holds at most 1,000 characters, input.md). */
export const MAX_SEND_TEXT = 1_000;
/** A send found on its way ('sending') this long after its call started was interrupted (the process died). */
export const SEND_INTERRUPTED_AFTER_MS = 2 * 60_000;
/** A message the bot sent is watched this long by default, updating every SENT_WATCH_INTERVAL_MS. */
export const SENT_WATCH_MS = 24 * 60 * 60_000;
export const SENT_WATCH_INTERVAL_MS = 30 * 60_000;
/** `/sent` lists this many of the person's latest sends. */
export const SENT_LIST_LENGTH = 10;
/** What `/sent` leaves out: what was never confirmed. */
export const NEVER_SENT: readonly SendState[] = ['draft', 'cancelled'];

export type SendState =
  /** The preview is shown; nothing is sent. */
  | 'draft'
  /** Confirmed: waiting for its turn, or for Feishu to be back. Nothing reached Feishu yet, so it may be tried. */
  | 'queued'
  /** The call is on its way to Feishu. */
  | 'sending'
  /** Feishu took it: `batchId`. */
  | 'sent'
  /** The call ended without an answer that says whether Feishu took it: it is not sent again by itself. */
  | 'unconfirmed'
  /** Feishu refused it for good (`error`), or it waited for Feishu longer than a send may. */
  | 'failed'
  | 'cancelled'
  /** The recall is on its way. */
  | 'recalling'
  | 'recalled';

/** Why a send failed, as the error card explains it. */
export interface SendError {
  code: string;
  feishuCode?: number;
  message: string;
  logId?: string;
}

/** One batch message written through the bot, from its draft to its recall. */
export interface Send {
  id: string;
  state: SendState;
  /** Who wrote it: only they may confirm it. */
  senderOpenId: string;
  senderUserId?: string;
  chatId: string;
  /** The card that shows it: the preview, later the tracking card. */
  cardMessageId?: string;
  text: string;
  recipients: Recipients;
  unusable: Unusable[];
  createdAt: number;
  /** When its preview was last shown afresh (edited, or renewed once expired): DRAFT_TTL_MS runs from then. */
  previewedAt?: number;
  confirmedAt?: number;
  /** When the call that sends it started. */
  attemptedAt?: number;
  sentAt?: number;
  batchId?: string;
  /** The ids Feishu refused (its invalid_*_ids); it sent to the rest. */
  refused?: Recipients;
  error?: SendError;
  recalledAt?: number;
  recalledBy?: string;
}

export const noRecipients = (): Recipients => ({ departments: [], openIds: [], userIds: [], unionIds: [] });

/** When a draft's preview stops being confirmable. */
export const draftExpiresAt = (send: Send): number => (send.previewedAt ?? send.createdAt) + DRAFT_TTL_MS;

/** How many ids the lists hold in all. */
export function recipientCount(r: Recipients): number {
  return RECIPIENT_LISTS.reduce((n, list) => n + r[list].length, 0);
}

/** Whether someone may send batch messages: listed in SENDERS, or not, or nobody may. */
export type SendPermission = 'allowed' | 'not_listed' | 'nobody';

/** Whether `who` is among SENDERS (open ids or user ids). */
export function maySend(senders: ReadonlySet<string>, who: { openId?: string; userId?: string }): boolean {
  return (who.openId !== undefined && senders.has(who.openId)) || (who.userId !== undefined && senders.has(who.userId));
}

/** The send form's names: the form, its two inputs and its submit button (form_value is keyed by the inputs' names). */
export const SEND_FORM = { form: 'send_form', text: 'send_text', to: 'send_to', submit: 'send_submit' } as const;
