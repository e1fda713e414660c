/**
 * The playground's chat: what was typed, the card the bot replied with, and
 * that card as it is now. A card changes when the bot updates the message
 * (PATCH, seen in the fake Open API's log) or when a button's callback
 * answers with a new card, whichever came last, as in Feishu. Every change
 * bumps a version, so a page asks only for what changed since it last
 * looked. No I/O.
 */
import type { PatchRecord, ReplyRecord, SentRecord } from '../demo/fakeOpenApi.js';
import type { TypedIn } from '../demo/feishuEvents.js';

export interface PlaygroundMessage {
  /** The id the typed message went to the bot with (or, for a card the bot sent on its own, the card's). */
  id: string;
  /** What was typed; empty for a card the bot sent on its own (the menu's answers, a greeting). */
  text: string;
  where: TypedIn;
  sentAt: number;
  /** The bot's HTTP answer to the event (200: taken); none yet while it is on its way. */
  status?: number;
  reply?: { messageId: string; card: unknown; at: number; updates: number };
  version: number;
}

export interface FakeLog {
  replies: ReplyRecord[];
  patches: PatchRecord[];
  /** Messages the bot sent, not as replies. */
  sent?: SentRecord[];
}

/** Messages kept: the page is for trying things, not an archive. */
const KEPT = 100;

export class Conversation {
  private readonly messages: PlaygroundMessage[] = [];
  private version = 0;
  /** How much of the fake Open API's log has been read. */
  readonly read = { replies: 0, patches: 0, sent: 0 };

  /** Kept before it goes to the bot, so a reply quicker than the bot's acknowledgement still finds it. */
  sending(message: Pick<PlaygroundMessage, 'id' | 'text' | 'where' | 'sentAt'>): void {
    this.messages.push({ ...message, version: ++this.version });
    if (this.messages.length > KEPT) this.messages.shift();
  }

  acknowledged(id: string, status: number): void {
    const m = this.messages.find((x) => x.id === id);
    if (m) {
      m.status = status;
      m.version = ++this.version;
    }
  }

  /** Takes the next part of the fake Open API's log: replies to our messages, updates of their cards. */
  apply(log: FakeLog): void {
    this.read.replies += log.replies.length;
    this.read.patches += log.patches.length;
    this.read.sent += log.sent?.length ?? 0;
    for (const r of log.replies) {
      const m = this.messages.find((x) => x.id === r.parentId);
      if (m && !m.reply) this.change(m, { messageId: r.messageId, card: r.card, at: r.at, updates: 0 });
    }
    for (const m of log.sent ?? []) this.botSent(m);
    for (const p of log.patches) this.cardChanged(p.messageId, p.card, p.at);
  }

  /** A card the bot sent on its own, one-to-one: a turn of the chat without a typed message. */
  private botSent(m: SentRecord): void {
    const reply = { messageId: m.messageId, card: m.card, at: m.at, updates: 0 };
    this.sending({ id: m.messageId, text: '', where: 'p2p', sentAt: m.at });
    this.acknowledged(m.messageId, 200);
    this.change(
      this.messages.find((x) => x.id === m.messageId)!,
      reply,
    );
  }

  /** A button's callback answered with a new card at `at`. */
  cardChanged(cardMessageId: string, card: unknown, at: number): void {
    const m = this.byCard(cardMessageId);
    // A change older than the card shown lost the race, as it would in Feishu.
    if (m?.reply && at >= m.reply.at) this.change(m, { ...m.reply, card, at, updates: m.reply.updates + 1 });
  }

  byCard(cardMessageId: string): PlaygroundMessage | undefined {
    return this.messages.find((m) => m.reply?.messageId === cardMessageId);
  }

  /** The messages that changed after `version`, and the version to ask from next. */
  since(version: number): { version: number; messages: PlaygroundMessage[] } {
    return { version: this.version, messages: this.messages.filter((m) => m.version > version) };
  }

  private change(m: PlaygroundMessage, reply: NonNullable<PlaygroundMessage['reply']>): void {
    m.reply = reply;
    m.version = ++this.version;
  }
}
