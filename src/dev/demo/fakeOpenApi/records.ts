/**
 * What the fake Open API received, kept for tests and the demo to read: the
 * read_user and get_progress calls, the replies, messages and card updates,
 * the look-ups; and the card each message shows now.
 */
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
