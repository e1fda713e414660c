/**
 * What a handler is given: who asked and where, and everything it may do —
 * reply with a card, take a snapshot, start or stop a watch, log. Handlers act
 * through their context; what stands behind it (throttles, retries, stores) is
 * wired in bot.ts.
 */
import type { Logger } from 'pino';
import type { Card } from '../cards/card.js';
import type { SentView } from '../cards/sentBlock.js';
import type { ActionAnswer } from '../cards/toasts.js';
import type { CommandOf, Command } from '../domain/command.js';
import type { BotError } from '../domain/errors.js';
import type { Send, SendPermission } from '../domain/send.js';
import type { CardAction, JournalEntry, Snapshot, Watch, WatchRefusal } from '../domain/types.js';
import type { CardPress } from '../inbound/events/cardAction.js';
import type { DeliveryTaken } from '../feishu/deliveries.js';
import type { Taken } from '../feishu/snapshots.js';

/** How a stop ended: the watch stopped, or why not. */
export type StopResult =
  { stopped: true; card: Card } | { stopped: false; reason: 'not_allowed' | 'already_ended' | 'unknown'; card?: Card };

/** The watches, as handlers see them. */
export interface WatchControl {
  /** Takes a place for the watch before its card is sent, unless the caps refuse it (checked and taken in one step). */
  reserve(watch: Watch): Promise<WatchRefusal | undefined>;
  /** Starts driving the reserved watch: its card has been sent. */
  attach(watchId: string, cardMessageId: string): Promise<void>;
  /** Gives the reserved place back. */
  cancel(watchId: string): Promise<void>;
  get(watchId: string): Promise<Watch | undefined>;
  /** The watch's card as it stands now (its latest state and snapshot). */
  cardNow(watchId: string, refreshedBy?: string): Promise<Card | undefined>;
  /** Stops it, if `operator` started it or runs its chat; `from`: the message the stop came from, if not the watch's card. */
  stop(watchId: string, operator: string, from?: string): Promise<StopResult>;
  /** The active watch of `batchId` in the chat (a chat watches an id once at most). */
  activeIn(chatId: string, batchId: string): Promise<Watch | undefined>;
  /** Restarts an active watch from now with a new duration and interval, on its own card; undefined if it has ended. */
  extend(watchId: string, durationMs: number, intervalMs: number): Promise<Watch | undefined>;
}

/** What became of a change asked of a send. */
export type SendOutcome =
  /** Made. */
  | { kind: 'done'; send: Send }
  /** A preview older than DRAFT_TTL_MS: renewed, to be checked and confirmed again. */
  | { kind: 'expired'; send: Send }
  /** Only its writer may do this (or, for a recall, the chat's owner and managers). */
  | { kind: 'not_allowed'; send: Send }
  /** Its writer is no longer among those who may send (SENDERS changed since the preview): it is not sent. */
  | { kind: 'not_a_sender'; send: Send }
  /** It was no longer in a state that allows it: pressed twice, or another replica moved it first. */
  | { kind: 'moved'; send: Send }
  /** Feishu refused (a recall past its window, of another app's message…). */
  | { kind: 'refused'; send: Send; error: BotError }
  | { kind: 'unknown' };

/** Sending batch messages, as handlers see it (features/send/). */
export interface SendControl {
  permission(who: { openId?: string; userId?: string }): SendPermission;
  /** Saves a new draft, or finds the one saved before (a command answered again): the send as stored. */
  draft(send: Send): Promise<Send>;
  get(id: string): Promise<Send | undefined>;
  /** The card message that shows the send from now on. */
  showOn(id: string, cardMessageId: string): Promise<void>;
  /** New text and recipients for a draft (its form was edited), its time renewed. */
  rewrite(id: string, operator: string, draft: Pick<Send, 'text' | 'recipients' | 'unusable'>): Promise<SendOutcome>;
  /** Confirms a draft: it goes out once, whoever presses how often. */
  confirm(id: string, operator: string, log: Logger): Promise<SendOutcome>;
  /** Sends again a send that failed, or whose fate Feishu did not say: only when its writer asks. */
  again(id: string, operator: string, log: Logger): Promise<SendOutcome>;
  cancel(id: string, operator: string): Promise<SendOutcome>;
  /** Whether `operator` may recall it: its writer, or the owner or a manager of the chat it was written in. */
  mayRecall(send: Send, operator: string): Promise<boolean>;
  recall(id: string, operator: string, log: Logger): Promise<SendOutcome>;
  /** A person's latest sends, newest first. */
  latest(senderOpenId: string): Promise<Send[]>;
  /** The card showing the send as it stands: its preview, its state, or its tracking card. */
  cardOf(send: Send, log: Logger, refreshedBy?: string): Promise<Card>;
}

interface Context {
  log: Logger;
  /** Sending batch messages: drafts, confirming, tracking, recalling. */
  sending: SendControl;
  /** What a reads card adds for a message the bot sent. */
  sentView(batchId: string): Promise<SentView | undefined>;
  /** The delivery funnel (get_progress: throttled, retried, shared with identical queries, recorded). */
  delivery(batchId: string): Promise<DeliveryTaken>;
  now(): number;
  /** The zone the cards write times in. */
  timeZone: string;
  watches: WatchControl;
}

export interface CommandContext extends Context {
  /** The command as it was accepted: who sent it, in which chat. */
  entry: JournalEntry;
  /** A snapshot (throttled, retried, shared with identical queries, recorded). */
  snapshot(batchId: string): Promise<Taken>;
  /** The recorded snapshots of a batch message, oldest first. */
  series(batchId: string): Promise<Snapshot[]>;
  /** Replies to the command's message; resolves to the new card message's id. */
  reply(card: Card): Promise<string>;
}

export interface ActionContext extends Context {
  press: CardPress;
  /** Fresh numbers: a press always asks Feishu anew (sharing a call already in flight). */
  snapshot(batchId: string): Promise<Taken>;
  /** What `work` resolves to if it does within the callback's time (Feishu allows 3 s), else undefined. */
  inTime<T>(work: Promise<T>): Promise<T | undefined>;
  /**
   * Once `ready` resolves (after the callback has been answered), updates the
   * pressed card with it — or with what `rebuild` makes of it when the update's turn comes.
   */
  updateLater(ready: Promise<Card>, rebuild?: (card: Card) => Promise<Card>): void;
  /** Counts the press as one of the presser's commands a minute (the query form); false when over the limit. */
  countCommand(): Promise<boolean>;
}

export type CommandHandler<K extends Command['kind']> = (command: CommandOf<K>, ctx: CommandContext) => Promise<void>;

export type ActionOf<A extends CardAction['a']> = Extract<CardAction, { a: A }>;
export type ActionHandler<A extends CardAction['a']> = (
  action: ActionOf<A>,
  ctx: ActionContext,
) => Promise<ActionAnswer>;
