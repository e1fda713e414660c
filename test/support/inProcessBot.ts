/**
 * The real bot (createBot) in this process, on a FakeClock, with an in-memory
 * Feishu stand-in instead of HTTP: for paths that need a call held open, made
 * to fail in a particular way, or timed to the fake clock's millisecond —
 * which the fake Open API over real HTTP cannot do deterministically.
 * Events enter where the webhook hands them over (bot.events).
 */
import type { Logger } from 'pino';
import { createBot, type Bot, type BotDeps } from '../../src/app/bot.js';
import type { ActionAnswer } from '../../src/cards/toasts.js';
import { cardActionEvent, messageEvent, newMessageId } from '../../src/dev/demo/feishuEvents.js';
import { BotError } from '../../src/domain/errors.js';
import type { DeliveryCounts, JournalEntry, ReadCounts } from '../../src/domain/types.js';
import type { ChatAdmins, FeishuApi, GrantedScope, Recipient } from '../../src/feishu/api/openApi.js';
import type { BatchMessage, BatchSent } from '../../src/feishu/api/batchMessages.js';
import { noRecipients } from '../../src/domain/send.js';
import { createLogger } from '../../src/app/log.js';
import { embeddedState } from '../../src/state/sqlite/sqliteState.js';
import type { SharedState } from '../../src/state/sharedState.js';
import { SEEN_TTL_MS, Store } from '../../src/state/sqlite/store.js';
import { FakeClock, settle } from './fakeClock.js';

export const BOT_OPEN_ID = 'ou_stub_bot';

/** A call held open until the test lets it go. */
export interface Gate<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(e: unknown): void;
}

export function gate<T>(): Gate<T> {
  let resolve!: (value: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A Feishu error as src/feishu/ classifies one. */
export function feishuError(feishuCode: number, httpStatus = 400): BotError {
  return new BotError('feishu_api', `Feishu error ${feishuCode}`, { feishuCode, httpStatus, logId: 'stub-log-id' });
}

export function serverError(httpStatus = 503): BotError {
  return new BotError('feishu_http', `HTTP ${httpStatus}`, { httpStatus });
}

/**
 * An in-memory FeishuApi. read_user answers the counts set for an id (230030 otherwise), a batch send a new
 * id, a recall ok; each `on*` hook, when set, decides a call instead. Every call is recorded.
 */
export class StubFeishu implements FeishuApi {
  readonly readUserCalls: string[] = [];
  readonly replies: Array<{ parentId: string; messageId: string; card: object; uuid: string }> = [];
  readonly patches: Array<{ messageId: string; card: object }> = [];
  readonly sent: Array<{ to: Recipient; messageId: string; card: object; uuid: string }> = [];
  readonly progressCalls: string[] = [];
  readonly batchSendCalls: BatchMessage[] = [];
  readonly recallCalls: string[] = [];
  readonly chatLookups: string[] = [];
  botInfoCalls = 0;
  private readonly counts = new Map<string, ReadCounts>();
  private nextId = 1;

  onReadUser?: (batchId: string) => Promise<ReadCounts> | undefined;
  onPatch?: (messageId: string, card: object) => Promise<void> | undefined;
  onReply?: (parentId: string, card: object) => Promise<string> | undefined;
  onBotInfo?: () => Promise<string> | undefined;
  onChatAdmins?: (chatId: string) => Promise<ChatAdmins> | undefined;
  onSend?: (to: Recipient, card: object) => Promise<string> | undefined;
  onBatchSend?: (message: BatchMessage) => Promise<BatchSent> | undefined;
  onRecall?: (batchId: string) => Promise<void> | undefined;

  setCounts(batchId: string, readCount: number, totalCount: number): void {
    this.counts.set(batchId, { readCount, totalCount });
  }

  async readUser(batchId: string): Promise<ReadCounts> {
    this.readUserCalls.push(batchId);
    const hooked = this.onReadUser?.(batchId);
    if (hooked) return hooked;
    const counts = this.counts.get(batchId);
    if (!counts) throw feishuError(230030);
    return { ...counts };
  }

  /** The funnel of an id with counts: all delivered, nobody hidden, nothing recalled. */
  async getProgress(batchId: string): Promise<DeliveryCounts> {
    this.progressCalls.push(batchId);
    const counts = this.counts.get(batchId);
    if (!counts) throw feishuError(230030);
    const { readCount, totalCount } = counts;
    return { validCount: totalCount, deliveredCount: totalCount, readCount, recalled: false, recallCount: 0 };
  }

  async sendCard(to: Recipient, card: object, uuid: string): Promise<string> {
    const hooked = this.onSend?.(to, card);
    if (hooked) return hooked;
    const earlier = this.sent.find((m) => m.uuid === uuid);
    if (earlier) return earlier.messageId;
    const sent = { to, messageId: `om_stub_sent_${this.nextId++}`, card, uuid };
    this.sent.push(sent);
    return sent.messageId;
  }

  async batchSend(message: BatchMessage): Promise<BatchSent> {
    this.batchSendCalls.push(message);
    return this.onBatchSend?.(message) ?? { batchId: `bm-stub${this.nextId++}`, refused: noRecipients() };
  }
  async recallBatch(batchId: string): Promise<void> {
    this.recallCalls.push(batchId);
    return this.onRecall?.(batchId);
  }

  async replyCard(messageId: string, card: object, uuid: string): Promise<string> {
    const hooked = this.onReply?.(messageId, card);
    if (hooked) return hooked;
    const earlier = this.replies.find((r) => r.uuid === uuid);
    if (earlier) return earlier.messageId;
    const reply = { parentId: messageId, messageId: `om_stub_reply_${this.nextId++}`, card, uuid };
    this.replies.push(reply);
    return reply.messageId;
  }

  async patchCard(messageId: string, card: object): Promise<void> {
    const hooked = this.onPatch?.(messageId, card);
    if (hooked) return hooked;
    this.patches.push({ messageId, card });
  }

  async botOpenId(): Promise<string> {
    this.botInfoCalls++;
    return this.onBotInfo?.() ?? BOT_OPEN_ID;
  }

  async chatAdmins(chatId: string): Promise<ChatAdmins> {
    this.chatLookups.push(chatId);
    return this.onChatAdmins?.(chatId) ?? { isGroup: true, ownerOpenId: 'ou_owner', managerOpenIds: [] };
  }

  async userDepartments(): Promise<string[]> {
    return [];
  }

  async grantedScopes(): Promise<GrantedScope[]> {
    return [];
  }

  invalidateToken(): void {}

  repliesTo(parentId: string) {
    return this.replies.filter((r) => r.parentId === parentId);
  }

  /** The card a message shows now: its last update, or what was sent. */
  cardOf(messageId: string): object | undefined {
    const patched = this.patches.filter((p) => p.messageId === messageId);
    return patched.length > 0
      ? patched[patched.length - 1]!.card
      : this.replies.find((r) => r.messageId === messageId)?.card;
  }
}

export interface InProcessOptions extends Partial<Omit<BotDeps, 'api' | 'shared' | 'clock' | 'logger'>> {
  /** Wraps the embedded shared state, e.g. to make parts of it fail. */
  shared?: (state: SharedState) => SharedState;
  /** Start at this fake time (default: now). */
  startAt?: number;
  /** Call start() (default true). */
  start?: boolean;
  /** The Feishu stand-in to use (default: a new one), e.g. the same one across a restart. */
  api?: StubFeishu;
  /** A store file instead of memory, e.g. to reopen it after a restart. */
  dbPath?: string;
  /** The fake clock to use (default: a new one at `startAt`). */
  clock?: FakeClock;
  /** Where the bot logs (default: silent unless TEST_LOG_LEVEL says). */
  logger?: Logger;
}

export interface InProcessBot {
  bot: Bot;
  api: StubFeishu;
  clock: FakeClock;
  store: Store;
  shared: SharedState;
  /** A message event, as the webhook hands it over (in a group, @mentioning the bot); resolves once recorded. */
  send(
    text: string,
    o?: { chatId?: string; senderOpenId?: string; chatType?: 'p2p' | 'group'; eventId?: string },
  ): Promise<{ messageId: string; outcome: unknown }>;
  /** A button press, as the webhook hands it over; resolves to the callback's answer. */
  press(o: {
    operatorOpenId: string;
    messageId: string;
    chatId: string;
    value: unknown;
    eventId?: string;
  }): Promise<ActionAnswer>;
  /** Moves the fake clock in steps until `condition` holds (fails after `maxSteps`). */
  drive(condition: () => boolean, what: string, stepMs?: number, maxSteps?: number): Promise<void>;
  /** Waits for every command taken so far to be answered, moving the fake clock as throttles need. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startInProcessBot(options: InProcessOptions = {}): Promise<InProcessBot> {
  const { shared: wrap, startAt, start = true, dbPath, api: givenApi, clock: givenClock, ...deps } = options;
  const clock = givenClock ?? new FakeClock(startAt ?? Date.now());
  const api = givenApi ?? new StubFeishu();
  const store = Store.open({ path: dbPath ?? ':memory:', now: () => clock.now(), seenTtlMs: SEEN_TTL_MS });
  const embedded = embeddedState(store, clock);
  const shared = wrap ? wrap(embedded) : embedded;
  const bot = createBot({
    timeZone: 'Asia/Shanghai',
    freshMs: 0,
    ...deps,
    api,
    shared,
    clock,
    logger: options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
  });
  if (start) await bot.start();

  async function drive(condition: () => boolean, what: string, stepMs = 100, maxSteps = 2_000): Promise<void> {
    for (let i = 0; !condition(); i++) {
      if (i >= maxSteps) throw new Error(`the fake clock moved ${maxSteps} steps of ${stepMs} ms without ${what}`);
      await clock.advance(stepMs);
    }
  }

  return {
    bot,
    api,
    clock,
    store,
    shared,
    async send(text, o = {}) {
      const messageId = newMessageId();
      const inGroup = o.chatType === 'group';
      const envelope = messageEvent({
        token: 'unused',
        text: inGroup ? `@_user_1 ${text}` : text,
        mentions: inGroup ? [{ openId: BOT_OPEN_ID, name: 'Reads bot' }] : [],
        messageId,
        chatId: o.chatId ?? 'oc_chat',
        chatType: o.chatType ?? 'p2p',
        senderOpenId: o.senderOpenId ?? 'ou_sender',
        eventId: o.eventId,
      });
      const outcome = await bot.events.onEvent({
        eventId: envelope.header.event_id!,
        eventType: envelope.header.event_type!,
        event: envelope.event,
      });
      return { messageId, outcome };
    },
    press(o) {
      const envelope = cardActionEvent({ token: 'unused', ...o });
      return bot.events.onCardAction({
        eventId: envelope.header.event_id!,
        eventType: 'card.action.trigger',
        event: envelope.event,
      });
    },
    drive,
    async idle() {
      let done = false;
      const idle = bot.idle().then(() => (done = true));
      await drive(() => done, 'the bot becoming idle', 10, 20_000);
      await idle;
    },
    async close() {
      let done = false;
      const closed = bot.shutdown(10_000).then(() => (done = true));
      await settle();
      // Past the 10 s deadline the drain is over; the store letting go of its files then takes real time.
      for (let i = 0; i <= 10 && !done; i++) await clock.advance(1_000);
      await closed;
    },
  };
}

/** A journal entry as a message event leaves it, for seeding the journal before a start. */
export function journalEntry(text: string, o: Partial<JournalEntry> = {}): JournalEntry {
  const messageId = o.messageId ?? newMessageId();
  return {
    messageId,
    eventId: `ev_${messageId}`,
    chatId: 'oc_chat',
    chatType: 'p2p',
    senderOpenId: 'ou_sender',
    text,
    acceptedAt: Date.now(),
    ...o,
  };
}
