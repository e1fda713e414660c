/**
 * What the fake Open API received, kept for tests and the demo to read: the
 * read_user and get_progress calls, the replies, messages and card updates,
 * the batch sends and recalls, the look-ups; and the card each message shows now.
 */
import type { Recipients } from '../../../domain/send.js';

export interface ReadUserCall {
  batchId: string;
  /** Arrival time. */
  at: number;
  /** What it was answered; 0 while pending or when the client went away. */
  status: number;
}

/** A message sent (POST /open-apis/im/v1/messages), not a reply. */
export interface SentRecord {
  receiveIdType: string;
  receiveId: string;
  uuid?: string;
  card: unknown;
  at: number;
  messageId: string;
}

export interface ReplyRecord {
  parentId: string;
  uuid?: string;
  msgType: string;
  card: unknown;
  at: number;
  messageId: string;
}

/** A batch message the fake sent (POST /open-apis/message/v4/batch_send/), which it plays from then on. */
export interface SentBatch {
  /** Its id, `bm-` and 32 hex digits as Feishu's. */
  batchId: string;
  at: number;
  msgType: string;
  /** What it says: the body's `content`, or its `card` for an interactive message. */
  content: unknown;
  /** The ids it was sent to, as the body listed them. */
  recipients: Recipients;
  /** Those refused, as its answer's invalid_*_ids; it went to the rest. */
  invalid: Recipients;
  /** How many people it reached (what read_user answers as the total). */
  total: number;
}

/** A batch-send call, from its arrival. */
export interface BatchSendRecord {
  at: number;
  /** The request body as it came. */
  body: unknown;
  /** What it was answered; 0 while pending or when the client went away first (it may be sent all the same). */
  status: number;
  /** Feishu's code in the answer; undefined without one (pending, or a gateway's error). */
  code?: number;
  /** The batch the call sent, if it sent one. */
  sent?: SentBatch;
}

/** A recall (DELETE /open-apis/im/v1/batch_messages/:id): a call with Feishu's code in its answer. */
export interface RecallRecord extends ReadUserCall {
  code?: number;
}

export interface PatchRecord {
  messageId: string;
  card: unknown;
  at: number;
}

export class Records {
  readonly readUserCalls: ReadUserCall[] = [];
  readonly progressCalls: ReadUserCall[] = [];
  readonly sent: SentRecord[] = [];
  readonly replies: ReplyRecord[] = [];
  readonly patches: PatchRecord[] = [];
  /** Updates refused because of `failUpdates`. */
  readonly failedUpdates: Array<{ messageId: string; at: number; httpStatus: number }> = [];
  readonly lookups: Array<{ api: 'chat' | 'user'; id: string }> = [];
  readonly batchSends: BatchSendRecord[] = [];
  readonly recalls: RecallRecord[] = [];
  private readonly sentByUuid = new Map<string, SentRecord>();
  private readonly repliesByUuid = new Map<string, ReplyRecord>();
  private replyWaiters: Array<() => void> = [];
  private nextId = 1;

  /** A new message's id; replies and sent messages count from one sequence. */
  newMessageId(kind: 'reply' | 'sent'): string {
    return `om_fake_${kind}_${this.nextId++}`;
  }

  /** The reply or sent message an earlier call with this uuid made, if any. */
  earlier(kind: 'reply' | 'sent', uuid: unknown): ReplyRecord | SentRecord | undefined {
    if (typeof uuid !== 'string') return undefined;
    return kind === 'reply' ? this.repliesByUuid.get(uuid) : this.sentByUuid.get(uuid);
  }

  addReply(reply: ReplyRecord): void {
    this.replies.push(reply);
    if (reply.uuid) this.repliesByUuid.set(reply.uuid, reply);
    const waiters = this.replyWaiters;
    this.replyWaiters = [];
    for (const wake of waiters) wake();
  }

  addSent(record: SentRecord): void {
    this.sent.push(record);
    if (record.uuid) this.sentByUuid.set(record.uuid, record);
  }

  /** The batch message this fake sent with this id, if it did. */
  sentBatch(batchId: string): SentBatch | undefined {
    return this.batchSends.find((call) => call.sent?.batchId === batchId)?.sent;
  }

  /** Whether a reply or a sent message has this id: only those can be updated. */
  isMessage(messageId: string): boolean {
    return [...this.replies, ...this.sent].some((r) => r.messageId === messageId);
  }

  repliesTo(parentId: string): ReplyRecord[] {
    return this.replies.filter((r) => r.parentId === parentId);
  }

  updatesOf(messageId: string): PatchRecord[] {
    return this.patches.filter((p) => p.messageId === messageId);
  }

  /** The card a message shows now: its last update, or what was sent. */
  cardOf(messageId: string): unknown {
    const patched = this.updatesOf(messageId);
    return patched.length > 0
      ? patched[patched.length - 1]!.card
      : (this.replies.find((r) => r.messageId === messageId) ?? this.sent.find((r) => r.messageId === messageId))?.card;
  }

  /** Messages sent to this open_id or chat_id. */
  sentTo(receiveId: string): SentRecord[] {
    return this.sent.filter((m) => m.receiveId === receiveId);
  }

  /** Resolves once `count` replies have been received, or rejects after `timeoutMs`. */
  async waitForReplies(count: number, timeoutMs = 10_000): Promise<ReplyRecord[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} replies, got ${this.replies.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.replyWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.replies;
  }
}
