/**
 * Feishu's rate limits, counted as Feishu counts them: on arrival times, in
 * sliding windows, per app, per chat and per message. Every call over a limit
 * is recorded as a violation, which tests assert there are none of.
 */
type Limits = Array<{ windowMs: number; max: number }>;

/**
 * Feishu's per-app limits on read_user, on get_progress, on messages
 * (replies and creates), on batch sends and on recalls: each its own.
 */
const APP_LIMITS: Limits = [
  { windowMs: 1000, max: 50 },
  { windowMs: 60_000, max: 1000 },
];

/** Feishu's limits on replies into one chat and on updates of one message. */
const FIVE_PER_SECOND: Limits = [{ windowMs: 1000, max: 5 }];

/** Sliding-window counter on arrival times, as Feishu counts them. */
class ArrivalLog {
  private times: number[] = [];
  private readonly widestMs: number;
  constructor(private readonly limits: Limits) {
    this.widestMs = Math.max(...limits.map((l) => l.windowMs));
  }
  /** Records an arrival; false when it exceeds a limit. */
  arrive(at: number): boolean {
    const keepFrom = this.times.findIndex((t) => t > at - this.widestMs);
    this.times = keepFrom < 0 ? [] : this.times.slice(keepFrom);
    this.times.push(at);
    return this.limits.every(({ windowMs, max }) => {
      let n = 0;
      for (let i = this.times.length - 1; i >= 0 && this.times[i]! > at - windowMs; i--) n++;
      return n <= max;
    });
  }
}

/** One ArrivalLog per chat or per message, made on first use. */
class ArrivalLogs {
  private readonly logs = new Map<string, ArrivalLog>();
  constructor(private readonly limits: Limits) {}
  of(key: string): ArrivalLog {
    let log = this.logs.get(key);
    if (!log) this.logs.set(key, (log = new ArrivalLog(this.limits)));
    return log;
  }
}

/** Calls limited per app; replies and message creates share one limit. */
export type AppLimited = 'read_user' | 'get_progress' | 'reply' | 'send' | 'batch_send' | 'recall';

/** Calls limited per chat (replies into it, messages to it) or per message (its updates). */
export type KeyLimited = 'reply_chat' | 'send_recipient' | 'patch_message';

export class RateLimits {
  /** Calls that broke a rate limit, as Feishu would have counted them. */
  readonly violations: Array<{ api: string; at: number }> = [];
  private readonly perApp: Record<AppLimited, ArrivalLog>;
  private readonly perKey: Record<KeyLimited, ArrivalLogs>;
  private readonly chatOfMessage = new Map<string, string>();

  constructor() {
    const messages = new ArrivalLog(APP_LIMITS);
    this.perApp = {
      read_user: new ArrivalLog(APP_LIMITS),
      get_progress: new ArrivalLog(APP_LIMITS),
      reply: messages,
      send: messages,
      batch_send: new ArrivalLog(APP_LIMITS),
      recall: new ArrivalLog(APP_LIMITS),
    };
    const chats = new ArrivalLogs(FIVE_PER_SECOND);
    this.perKey = { reply_chat: chats, send_recipient: chats, patch_message: new ArrivalLogs(FIVE_PER_SECOND) };
  }

  /** Lets replies to a message count against the limit of the chat it is in. */
  registerMessage(messageId: string, chatId: string): void {
    this.chatOfMessage.set(messageId, chatId);
  }

  chatOf(messageId: string): string | undefined {
    return this.chatOfMessage.get(messageId);
  }

  /** Counts an arrival against the app's limit; one over it is recorded as a violation. */
  overAppLimit(api: AppLimited, at: number): boolean {
    return this.over(this.perApp[api], api, at);
  }

  /** Counts an arrival against the limit of one chat or message; one over it is recorded as a violation. */
  overLimitOf(api: KeyLimited, key: string, at: number): boolean {
    return this.over(this.perKey[api].of(key), api, at);
  }

  private over(log: ArrivalLog, api: string, at: number): boolean {
    if (log.arrive(at)) return false;
    this.violations.push({ api, at });
    return true;
  }
}
