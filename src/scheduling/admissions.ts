/**
 * Decides, the moment a command is accepted, whether it runs now or is
 * answered with a refusal: the whole queue is full, this chat already has
 * too much waiting, or this person is sending too fast (the caller counts
 * the person's rate, where replicas share it). Keeps the counts of pending
 * work. Pure bookkeeping, no I/O.
 */
import type { QueueLimits } from '../domain/limits.js';
import type { RateDecision } from './keyedRateLimit.js';

/**
 * A refusal's `tell` is false when the same chat (busy, chat_busy) or person
 * (slow_down) was told moments ago: no card again, so a flood cannot spend the
 * reply budget that queued answers need.
 */
export type Admission =
  | { kind: 'run' }
  | { kind: 'busy'; retryAfterMs: number; tell: boolean }
  | { kind: 'chat_busy'; pending: number; retryAfterMs: number; tell: boolean }
  | { kind: 'slow_down'; retryAfterMs: number; tell: boolean };

export interface Work {
  chatId: string;
  senderKey?: string;
}

/** How long a chat or person that was told to wait is not told again. */
const TOLD_FOR_MS = 10_000;
/** read_user drains at 1000 a minute once a backlog builds: a rough wait for a queue of a given length. */
const MS_PER_QUEUED_READ = 60;
/** Replies into one chat drain at 5 a second. */
const MS_PER_QUEUED_CHAT_REPLY = 200;

export class Admissions {
  private total = 0;
  private readonly perChat = new Map<string, number>();
  private readonly toldUntil = new Map<string, number>();
  private lastSweep = 0;

  constructor(private readonly limits: QueueLimits) {}

  /**
   * When the answer is 'run', the work counts as pending until `done`.
   * `resumed` work was admitted before a restart: it runs, whatever the load.
   * `personRate`: whether the sender is within USER_COMMANDS_PER_MINUTE.
   */
  admit(work: Work, now: number, options: { resumed?: boolean; personRate?: RateDecision } = {}): Admission {
    if (options.resumed) return this.count(work);
    if (this.total >= this.limits.maxPending) {
      return {
        kind: 'busy',
        retryAfterMs: Math.max(5_000, this.total * MS_PER_QUEUED_READ),
        tell: this.tellOnce(`chat:${work.chatId}`, now),
      };
    }
    const inChat = this.perChat.get(work.chatId) ?? 0;
    if (inChat >= this.limits.maxPendingPerChat) {
      const retryAfterMs = Math.max(3_000, inChat * MS_PER_QUEUED_CHAT_REPLY);
      return { kind: 'chat_busy', pending: inChat, retryAfterMs, tell: this.tellOnce(`chat:${work.chatId}`, now) };
    }
    const rate = options.personRate;
    if (rate && !rate.allowed && work.senderKey !== undefined) {
      return { kind: 'slow_down', retryAfterMs: rate.retryAfterMs, tell: this.tellOnce(`user:${work.senderKey}`, now) };
    }
    return this.count(work);
  }

  private count(work: Work): Admission {
    this.total++;
    this.perChat.set(work.chatId, (this.perChat.get(work.chatId) ?? 0) + 1);
    return { kind: 'run' };
  }

  done(work: Work): void {
    this.total = Math.max(0, this.total - 1);
    const inChat = (this.perChat.get(work.chatId) ?? 1) - 1;
    if (inChat <= 0) this.perChat.delete(work.chatId);
    else this.perChat.set(work.chatId, inChat);
  }

  /** Commands of `chatId` accepted and not yet answered. */
  pendingIn(chatId: string): number {
    return this.perChat.get(chatId) ?? 0;
  }

  get pending(): number {
    return this.total;
  }

  saturated(): boolean {
    return this.total >= this.limits.maxPending;
  }

  /** True unless `key` was told within the last TOLD_FOR_MS; remembers the telling. */
  private tellOnce(key: string, now: number): boolean {
    if ((this.toldUntil.get(key) ?? 0) > now) return false;
    if (now - this.lastSweep >= TOLD_FOR_MS) {
      this.lastSweep = now;
      for (const [k, t] of this.toldUntil) if (t <= now) this.toldUntil.delete(k);
    }
    this.toldUntil.set(key, now + TOLD_FOR_MS);
    return true;
  }
}
