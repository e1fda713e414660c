/**
 * The call path every Feishu call takes: retry (outside) around a
 * scheduled call (inside), so each attempt takes its turn and is counted
 * against the limits, as Feishu counts it. read_user, get_progress, messages,
 * look-ups, batch sends and recalls each have their own budget; replies are
 * limited per chat too, and card updates per message.
 */
import type { Logger } from 'pino';
import type { Metrics } from '../domain/metrics.js';
import { localBudgets, type Budgets } from '../scheduling/budget.js';
import { CallScheduler, KeyedCallScheduler } from '../scheduling/callScheduler.js';
import { ANYONE, type Lane } from '../scheduling/lanes.js';
import { APP_LIMITS, CHAT_LIMITS, IN_TRANSIT_MS, MESSAGE_UPDATE_LIMITS } from '../domain/limits.js';
import { bulkRuleOf } from '../scheduling/bulkRule.js';
import type { ChatAdmins, FeishuApi, Recipient } from './api/openApi.js';
import type { BatchMessage, BatchSent } from './api/batchMessages.js';
import { isRetryable, surelyNotSent, withRetry, type RetryPolicy } from './retry.js';
import type { BotError } from '../domain/errors.js';
import { toBotError } from './api/toBotError.js';
import type { Clock } from '../domain/clock.js';
import type { DeliveryCounts, Endpoint, ReadCounts } from '../domain/types.js';

export interface OutboundDeps {
  api: FeishuApi;
  clock: Clock;
  logger: Logger;
  retry?: RetryPolicy;
  random?: () => number;
  metrics?: Metrics;
  /** Where the limits are counted: in this process (the default), or for all replicas at once. */
  budgets?: Budgets;
  /** The API without the circuit breaker that `api` goes through, for bot info (see botOpenId). */
  unguarded?: Pick<FeishuApi, 'botOpenId'>;
}

/**
 * A batch send is tried again only when Feishu surely did not take it: a
 * second attempt after one that may have arrived could send it twice. With
 * the breaker open it is not tried here: the caller waits for Feishu, as a
 * command does.
 */
const mayResend = (e: BotError) => isRetryable(e) && surelyNotSent(e);

function holdAfterFailure(e: unknown): number {
  const code = toBotError(e).code;
  return code === 'timeout' || code === 'network' ? IN_TRANSIT_MS : 0;
}

export class Outbound {
  private readonly reads: CallScheduler;
  private readonly messages: CallScheduler;
  private readonly chats: KeyedCallScheduler;
  private readonly patchedMessages: KeyedCallScheduler;
  private readonly lookups: CallScheduler;
  private readonly progress: CallScheduler;
  private readonly batchSends: CallScheduler;
  private readonly recalls: CallScheduler;
  private readonly botInfo: CallScheduler;
  private readonly patchChains = new Map<string, Promise<void>>();

  constructor(private readonly deps: OutboundDeps) {
    const { clock } = deps;
    const budgets = deps.budgets ?? localBudgets(clock);
    const app = (name: string, bulk?: boolean) =>
      new CallScheduler(APP_LIMITS, {
        clock,
        holdAfterFailure,
        budget: budgets(name, APP_LIMITS),
        bulk: bulk ? bulkRuleOf(APP_LIMITS) : undefined,
      });
    this.reads = app('read_user', true);
    this.messages = app('messages', true);
    this.lookups = app('lookups');
    // get_progress has limits of its own (50/s, 1000/min), apart from read_user's.
    this.progress = app('get_progress');
    // Batch sends and recalls have theirs too (50/s, 1000/min each, 批量发送消息.md, 批量撤回消息.md).
    this.batchSends = app('batch_send');
    this.recalls = app('recall');
    // Bot info tells start-up, the readiness check and the breaker's probe whether Feishu answers: it passes the
    // breaker, and is counted in this process so that it needs no Redis (a few calls a minute a replica).
    this.botInfo = new CallScheduler(APP_LIMITS, {
      clock,
      holdAfterFailure,
      budget: localBudgets(clock)('bot_info', APP_LIMITS),
    });
    this.chats = new KeyedCallScheduler(CHAT_LIMITS, {
      clock,
      holdAfterFailure,
      budgetOf: (chatId) => budgets(`chat:${chatId}`, CHAT_LIMITS),
    });
    this.patchedMessages = new KeyedCallScheduler(MESSAGE_UPDATE_LIMITS, {
      clock,
      holdAfterFailure,
      budgetOf: (messageId) => budgets(`message:${messageId}`, MESSAGE_UPDATE_LIMITS),
    });
  }

  /** `lane`: whose call it is; it takes its turn among theirs (a person's query goes ahead of bulk and watches). */
  readUser(batchId: string, log: Logger = this.deps.logger, lane: Lane = ANYONE): Promise<ReadCounts> {
    return this.inTurn(this.reads, 'read_user', lane, log, () => this.deps.api.readUser(batchId));
  }

  /**
   * Updates a card in place: at most 5 updates a second per message, within
   * the app's budget. Updates of one message go one after another, and the
   * card is built by `makeCard` only when its turn comes — so an update that
   * waited in the queue never shows older state than the one before it.
   */
  patch(
    messageId: string,
    makeCard: () => Promise<object | undefined> | object | undefined,
    log: Logger = this.deps.logger,
    lane: Lane = ANYONE,
  ): Promise<void> {
    const previous = this.patchChains.get(messageId) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() =>
        this.retrying(
          () => {
            const update = this.waited('patch', lane, async () => {
              const card = await makeCard();
              if (card) await this.deps.api.patchCard(messageId, card);
            });
            return this.patchedMessages.run(messageId, () => this.messages.run(update, lane), lane);
          },
          log,
          'patch',
        ),
      );
    this.patchChains.set(messageId, next);
    void next
      .finally(() => {
        if (this.patchChains.get(messageId) === next) this.patchChains.delete(messageId);
      })
      .catch(() => undefined);
    return next;
  }

  reply(
    chatId: string,
    messageId: string,
    card: object,
    uuid: string,
    log: Logger = this.deps.logger,
    lane: Lane = ANYONE,
  ): Promise<string> {
    return this.retrying(
      () => {
        const send = this.waited('reply', lane, () => this.deps.api.replyCard(messageId, card, uuid));
        return this.chats.run(chatId, () => this.messages.run(send, lane), lane);
      },
      log,
      'reply',
    );
  }

  /** The delivery funnel of a batch message, in its own sliding windows; stopped with read_user's calls. */
  getProgress(batchId: string, log: Logger = this.deps.logger): Promise<DeliveryCounts> {
    return this.retrying(() => this.progress.run(() => this.deps.api.getProgress(batchId)), log, 'get_progress');
  }

  /** Sends a card as a new message: 5 a second per person or chat, within the app's message budget. */
  send(to: Recipient, card: object, uuid: string, log: Logger = this.deps.logger): Promise<string> {
    const key = 'openId' in to ? `user:${to.openId}` : to.chatId;
    // A card for one person or chat (a menu answer, a greeting): a person's, in that person's or chat's turn.
    const lane: Lane = { cls: 'person', chat: key, person: key };
    return this.retrying(
      () => this.chats.run(key, () => this.messages.run(() => this.deps.api.sendCard(to, card, uuid), lane), lane),
      log,
      'send',
    );
  }

  /** Sends a batch message; it fails at once when Feishu may have taken it (a timeout, a 500): see mayResend. */
  batchSend(message: BatchMessage, log: Logger = this.deps.logger, lane: Lane = ANYONE): Promise<BatchSent> {
    return this.inTurn(this.batchSends, 'batch_send', lane, log, () => this.deps.api.batchSend(message), mayResend);
  }

  /** Recalls a batch message; recalling one twice does no harm, so it is retried as reads are. */
  recallBatch(batchId: string, log: Logger = this.deps.logger, lane: Lane = ANYONE): Promise<void> {
    return this.inTurn(this.recalls, 'recall', lane, log, () => this.deps.api.recallBatch(batchId));
  }

  chatAdmins(chatId: string, log: Logger = this.deps.logger): Promise<ChatAdmins> {
    return this.retrying(() => this.lookups.run(() => this.deps.api.chatAdmins(chatId)), log, 'chat_info');
  }

  userDepartments(openId: string, log: Logger = this.deps.logger): Promise<string[]> {
    return this.retrying(() => this.lookups.run(() => this.deps.api.userDepartments(openId)), log, 'user_info');
  }

  /**
   * The bot's own open_id, past the circuit breaker: one attempt, in its turn.
   * Who asks (start-up, the readiness check, the breaker's probe) tries again
   * on a schedule of its own.
   */
  botOpenId(): Promise<string> {
    const api = this.deps.unguarded ?? this.deps.api;
    return this.botInfo.run(() => api.botOpenId());
  }

  /** The app's scopes and whether each is granted, for the start-up self-check. */
  grantedScopes(log: Logger = this.deps.logger): Promise<Array<{ name: string; granted: boolean }>> {
    return this.retrying(() => this.lookups.run(() => this.deps.api.grantedScopes()), log, 'app_scopes');
  }

  /** `call` in `lane`'s turn on `scheduler`, its wait counted; each attempt takes a turn of its own. */
  private inTurn<T>(
    scheduler: CallScheduler,
    what: Endpoint,
    lane: Lane,
    log: Logger,
    call: () => Promise<T>,
    retryable?: (e: BotError) => boolean,
  ): Promise<T> {
    return this.retrying(() => scheduler.run(this.waited(what, lane, call), lane), log, what, retryable);
  }

  /** `call`, counting from now how long it waits for its turn, by class. */
  private waited<T>(what: Endpoint, lane: Lane, call: () => Promise<T>): () => Promise<T> {
    const asked = this.deps.clock.now();
    return () => {
      this.deps.metrics?.queueWait(lane.cls, what, (this.deps.clock.now() - asked) / 1000);
      return call();
    };
  }

  /**
   * From now on read_user calls not yet started — waiting for a slot, or
   * asked for later — reject with `reason`. Running calls and replies carry on.
   */
  stopReads(reason: Error): void {
    this.reads.stop(reason);
    this.progress.stop(reason);
  }

  private retrying<T>(
    call: () => Promise<T>,
    log: Logger,
    what: Endpoint,
    retryable?: (e: BotError) => boolean,
  ): Promise<T> {
    return withRetry(call, {
      clock: this.deps.clock,
      random: this.deps.random,
      policy: this.deps.retry,
      retryable,
      onInvalidToken: () => this.deps.api.invalidateToken(),
      onRetry: (e, attempt, delayMs) => {
        this.deps.metrics?.retry(what);
        log.warn(
          {
            call: what,
            attempt,
            delay_ms: Math.round(delayMs),
            code: e.code,
            feishu_code: e.feishuCode,
            log_id: e.logId,
          },
          'retrying Feishu call',
        );
      },
    });
  }
}
