/**
 * Wiring: the HTTP front door → router (seen + journal) → admissions →
 * access → command → Feishu calls through one pipeline → card → reply.
 * Everything remote comes in through `deps`, so tests build the real bot
 * around a fake Open API, their own clock and an in-memory store. What
 * replicas share (seen events, the journal, history, watches, rate limits)
 * is `shared`: this process and SQLite, or Redis.
 */
import { createHash } from 'node:crypto';
import type { RequestListener } from 'node:http';
import type express from 'express';
import type { Logger } from 'pino';
import { AccessControl, type AccessPolicy } from './access/policy.js';
import type { Card } from './cards/card.js';
import { buildAccessDeniedCard, buildBusyCard, buildChatBusyCard, buildSlowDownCard } from './cards/refusalCards.js';
import { answerCommand, buildReadsAnswer } from './commands/answer.js';
import { readCardAction, type CardPress } from './events/cardAction.js';
import { Watcher } from './watch/watcher.js';
import { KeyedRateLimit } from './throttle/keyedRateLimit.js';
import { parseCommand } from './commands/parse.js';
import { routeEvent } from './events/router.js';
import type { FeishuApi } from './feishu/openApi.js';
import { Outbound } from './feishu/outbound.js';
import type { RetryPolicy } from './feishu/retry.js';
import { toBotError } from './feishu/toBotError.js';
import type { DecodeOptions } from './http/decodeRequest.js';
import { createFrontDoor, type EventEntry, type Readiness } from './http/server.js';
import { noMetrics, type Metrics } from './metrics/metrics.js';
import { Admissions, DEFAULT_QUEUE_LIMITS, type Admission, type QueueLimits, type Work } from './queue/admissions.js';
import { WorkQueue } from './queue/workQueue.js';
import type { SharedState } from './shared/sharedState.js';
import type { Clock } from './domain/clock.js';
import { BotError, isPostponed } from './domain/errors.js';
import type { JournalEntry } from './domain/types.js';
import { instrumentApi } from './feishu/instrumentApi.js';
import { Snapshots } from './snapshots/snapshots.js';

export interface BotDeps {
  decode: DecodeOptions;
  timeZone: string;
  api: FeishuApi;
  shared: SharedState;
  clock: Clock;
  logger: Logger;
  limits?: QueueLimits;
  access?: AccessPolicy;
  retry?: RetryPolicy;
  extendHttp?: (app: express.Express) => void;
  /** How long a card callback may wait for fresh numbers before answering "refreshing…" (Feishu allows 3 s). */
  callbackBudgetMs?: number;
  /** A snapshot younger than this answers without a call (default 5 s). */
  freshMs?: number;
  /** Commands running at once (default 200); the rest wait their turn as records. */
  runningCommands?: number;
  metrics?: Metrics;
  /** More /readyz checks, e.g. the long connection's. */
  checks?: () => Record<string, boolean>;
}

export interface Bot {
  /** The HTTP request handler: webhooks, health, metrics and whatever extendHttp adds. */
  handler: RequestListener;
  /** Where events enter: the webhook's routes, and the long connection. */
  events: EventEntry;
  /** Learns the bot's own open_id (needed to see @mentions), then resumes journaled commands. */
  start(): Promise<void>;
  readiness(): Readiness;
  /** Resolves when every command taken so far has been answered (or left for the next start). */
  idle(): Promise<void>;
  watcher: Watcher;
  snapshots: Snapshots;
  /**
   * Stops taking events (they get 503, so Feishu redelivers them), lets
   * running work finish until `deadlineMs`, and leaves the rest in the journal.
   */
  shutdown(deadlineMs: number): Promise<{ finished: boolean }>;
}

/** Feishu shows at most one reply per uuid within an hour, so a repeated reply is harmless. */
export function replyUuid(messageId: string): string {
  return `reads-${createHash('sha256').update(messageId).digest('hex').slice(0, 40)}`;
}

const TOKEN_CHECK_EVERY_MS = 30_000;
const CALLBACK_BUDGET_MS = 2_500;
/** How often journaled commands are looked for that nobody answers (a replica died). */
const CLAIM_EVERY_MS = 10_000;
/** Button presses one person may make a minute: each may cost up to 10 read_user calls. */
const PRESSES_PER_MINUTE = 20;
/**
 * Commands running at once; the rest wait as records in a WorkQueue. Enough
 * to keep read_user at 50/s while each command waits seconds for its turn.
 */
const RUNNING_COMMANDS = 200;

type Toast = {
  type: 'success' | 'info' | 'warning' | 'error';
  content: string;
  i18n: { zh_cn: string; en_us: string };
};
const toast = (type: Toast['type'], zh: string, en: string): { toast: Toast } => ({
  toast: { type, content: zh, i18n: { zh_cn: zh, en_us: en } },
});

export function createBot(deps: BotDeps): Bot {
  const { clock, logger, shared } = deps;
  const { intake, history, watches } = shared;
  const metrics = deps.metrics ?? noMetrics;
  const api = instrumentApi(deps.api, metrics, clock);
  const outbound = new Outbound({ api, clock, logger, retry: deps.retry, metrics, budgets: shared.budgets });
  const limits = deps.limits ?? DEFAULT_QUEUE_LIMITS;
  const admissions = new Admissions(limits);
  const access = new AccessControl(
    deps.access ?? { kind: 'everyone' },
    {
      chatAdmins: (chatId) => outbound.chatAdmins(chatId),
      userDepartments: (openId) => outbound.userDepartments(openId),
    },
    () => clock.now(),
  );
  const working = new Set<Promise<void>>();
  const refreshing = new Map<string, Promise<Card>>();
  const pressRate = new KeyedRateLimit({ windowMs: 60_000, max: PRESSES_PER_MINUTE });
  const snapshots = new Snapshots({ outbound, history, calls: shared.calls, clock, freshMs: deps.freshMs });
  const watcher = new Watcher({ snapshots, watches, history, outbound, clock, timeZone: deps.timeZone, logger });
  let botOpenId: string | undefined;
  let accepting = true;
  const tokenCheck = { at: -Infinity, ok: false, running: false };

  function refusalCard(admission: Exclude<Admission, { kind: 'run' }>): Card | undefined {
    if (!admission.tell) return undefined;
    switch (admission.kind) {
      case 'busy':
        return buildBusyCard(admission.retryAfterMs);
      case 'chat_busy':
        return buildChatBusyCard(admission.pending, admission.retryAfterMs);
      case 'slow_down':
        return buildSlowDownCard(limits.userCommandsPerMinute, admission.retryAfterMs);
    }
  }

  async function reply(entry: JournalEntry, card: Card, log: Logger): Promise<string> {
    const sent = await outbound.reply(entry.chatId, entry.messageId, card, replyUuid(entry.messageId), log);
    log.info('replied');
    metrics.answered((clock.now() - entry.acceptedAt) / 1000);
    return sent;
  }

  /** Records the keys as seen; false when one was seen before (a redelivery). */
  async function accept(keys: string[], entry?: JournalEntry): Promise<boolean> {
    const fresh = await intake.accept(keys, entry);
    if (!fresh) metrics.dedupeHit();
    return fresh;
  }

  function track(job: Promise<void>): void {
    working.add(job);
    void job.finally(() => working.delete(job));
  }

  async function run(entry: JournalEntry, log: Logger): Promise<void> {
    const decision = await access.check({
      chatId: entry.chatId,
      chatType: entry.chatType,
      openId: entry.senderOpenId,
      userId: entry.senderUserId,
    });
    if (!decision.allowed) {
      log.info({ reason: decision.reason }, 'access refused');
      await reply(entry, buildAccessDeniedCard(decision.reason, 'error' in decision ? decision.error : undefined), log);
      return;
    }
    const command = parseCommand(entry.text ?? '');
    if (command.kind === 'reads') log = log.child({ batch_id: command.batchIds.join(',') });
    log.info({ command: command.kind }, 'running command');
    const answer = await answerCommand(command, {
      take: (batchId) => snapshots.take(batchId, { askedBy: entry.senderOpenId, log }),
      history,
      now: () => clock.now(),
      timeZone: deps.timeZone,
      askedBy: entry.senderOpenId,
      chatId: entry.chatId,
      watchRefusal: (batchId) => watcher.refusal(entry.chatId, batchId),
    });
    const cardMessageId = await reply(entry, answer.card, log);
    if (answer.watch) {
      await watcher.add({ ...answer.watch, cardMessageId });
      log.info({ watch_id: answer.watch.id, until: answer.watch.until }, 'watch started');
    }
  }

  /** The card a Refresh press asks for, with fresh numbers. */
  function refreshedCard(press: CardPress, ids: string[], watchId: string | undefined, log: Logger): Promise<Card> {
    return buildReadsAnswer(
      ids,
      {
        take: (batchId) => snapshots.take(batchId, { askedBy: press.operatorOpenId, fresh: true, log }),
        now: () => clock.now(),
        timeZone: deps.timeZone,
      },
      { refreshedBy: press.operatorOpenId, watch: async () => (watchId ? watches.get(watchId) : undefined) },
    );
  }

  /** A button press: answered within Feishu's 3 s, with the new card when it is ready in time. */
  async function onCardAction(event: { eventId: string; event: unknown }): Promise<object> {
    const deadline = clock.sleep(deps.callbackBudgetMs ?? CALLBACK_BUDGET_MS).then(() => undefined);
    const press = readCardAction(event.event);
    if (!press) return toast('error', '无法识别的操作。', 'Unknown action.');
    if (!(await accept([`event:${event.eventId}`]))) return {};
    const log = logger.child({
      event_id: event.eventId,
      message_id: press.messageId,
      operator: press.operatorOpenId,
      action: press.action.a,
    });
    if (!takingEvents())
      return toast('warning', '机器人正在重启，请稍后再试。', 'The bot is restarting; try again shortly.');
    if (!pressRate.take(press.operatorOpenId, clock.now()).allowed) {
      return toast('warning', '点得太快了，请稍后再试。', 'Too many presses; try again in a moment.');
    }
    const decision = await Promise.race([
      access.check({ chatId: press.chatId, chatType: 'unknown', openId: press.operatorOpenId }),
      deadline,
    ]);
    if (!decision) return toast('warning', '机器人正忙，请稍后再试。', 'The bot is busy; try again in a moment.');
    if (!decision.allowed) {
      log.info({ reason: decision.reason }, 'access refused');
      return toast('warning', '抱歉，你没有使用这个机器人的权限。', 'Sorry, you may not use this bot here.');
    }

    if (press.action.a === 'stop_watch') {
      const result = await watcher.stop(press.action.w, press.operatorOpenId, (chatId) =>
        access.isChatAdmin(chatId, press.operatorOpenId),
      );
      log.info({ result: result.stopped ? 'stopped' : result.reason }, 'stop watch pressed');
      if (result.stopped)
        return { ...toast('success', '已停止监控。', 'Watch stopped.'), card: { type: 'raw', data: result.card } };
      if (result.reason === 'not_allowed') {
        return toast(
          'warning',
          '只有发起监控的人或群主、群管理员可以停止监控。',
          'Only the person who started the watch or the chat’s owner and managers can stop it.',
        );
      }
      const ended = toast('info', '监控已经结束。', 'The watch has already ended.');
      return result.card ? { ...ended, card: { type: 'raw', data: result.card } } : ended;
    }

    const { ids, w } = press.action;
    // Presses on one card while its refresh runs share that refresh.
    let work = refreshing.get(press.messageId);
    if (!work) {
      const started = refreshedCard(press, ids, w, log);
      refreshing.set(press.messageId, started);
      void started.then(
        () => refreshing.delete(press.messageId),
        () => refreshing.delete(press.messageId),
      );
      work = started;
    }
    const outcome = await Promise.race([
      work.then(
        (card) => ({ card }),
        (e: unknown) => ({ error: toBotError(e) }),
      ),
      deadline,
    ]);
    if (outcome && 'card' in outcome) {
      log.info('refreshed in the callback');
      return { ...toast('success', '已刷新。', 'Refreshed.'), card: { type: 'raw', data: outcome.card } };
    }
    if (outcome) {
      // Only a shutdown or an unreachable shared state gets here (failures become error cards): leave the card as it is.
      log.info({ code: outcome.error.code }, 'refresh not done');
      if (outcome.error.code === 'unavailable') throw outcome.error;
      return toast('warning', '机器人正在重启，请稍后再试。', 'The bot is restarting; try again shortly.');
    }
    // Too slow for the callback: say so now, update the card when the numbers arrive.
    track(
      work
        .then((card) =>
          // A watched card is rebuilt from the store when its update goes out, so it never shows older state.
          outbound.patch(
            press.messageId,
            async () => (w ? ((await watcher.cardNow(w, press.operatorOpenId)) ?? card) : card),
            log,
          ),
        )
        .then(() => log.info('refreshed by updating the message'))
        .catch((e: unknown) => log.error({ code: toBotError(e).code }, 'could not update the card after a refresh')),
    );
    return toast('info', '正在刷新…', 'Refreshing…');
  }

  /**
   * Runs `respond`, then forgets the command: answered, or failed for good.
   * A shutdown, or shared state out of reach, leaves it journaled.
   */
  async function settle(entry: JournalEntry, respond: (log: Logger) => Promise<void>): Promise<void> {
    const log = logger.child({ event_id: entry.eventId, message_id: entry.messageId, chat_id: entry.chatId });
    try {
      await respond(log);
    } catch (e) {
      const error = toBotError(e);
      if (isPostponed(error)) {
        log.info({ code: error.code }, 'left in the journal; it is answered later');
        await intake.release(entry.messageId).catch(() => undefined); // unreachable: its lease runs out by itself
        return;
      }
      // Retries ran out, or Feishu refused the reply for good: nothing more can be done now.
      log.error(
        { code: error.code, feishu_code: error.feishuCode, log_id: error.logId, err_msg: error.message },
        'could not answer',
      );
    }
    // Unreachable now: it stays journaled and is answered again later; the reply's uuid keeps Feishu from showing it twice.
    await intake
      .complete(entry.messageId)
      .catch((e: unknown) => log.warn({ err: e }, 'could not clear the journal entry'));
  }

  const commands = new WorkQueue<{ entry: JournalEntry; work: Work }>(
    deps.runningCommands ?? RUNNING_COMMANDS,
    ({ entry, work }) => settle(entry, (log) => run(entry, log)).finally(() => admissions.done(work)),
  );

  /**
   * Admits an accepted command at once (so the counts include everything
   * waiting): it queues to run, or its refusal goes out on a later turn, after
   * the webhook's acknowledgement. `resumed` commands were admitted before a restart.
   */
  function schedule(entry: JournalEntry, resumed = false): void {
    const work = { chatId: entry.chatId, senderKey: entry.senderOpenId ?? entry.senderUserId };
    const admission = admissions.admit(work, clock.now(), resumed);
    if (admission.kind === 'run') {
      commands.push({ entry, work });
      return;
    }
    const job = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() =>
        settle(entry, async (log) => {
          log.info({ admission: admission.kind }, 'command refused for load');
          const card = refusalCard(admission);
          if (card) await reply(entry, card, log);
        }),
      )
      .catch((e: unknown) => logger.error({ err: e, message_id: entry.messageId }, 'unexpected failure'));
    track(job);
  }

  function refreshTokenCheck(): void {
    if (tokenCheck.running) return;
    tokenCheck.running = true;
    api
      .botOpenId()
      .then(
        () => (tokenCheck.ok = true),
        () => (tokenCheck.ok = false),
      )
      .finally(() => {
        tokenCheck.at = clock.now();
        tokenCheck.running = false;
      });
  }

  function readiness(): Readiness {
    if (clock.now() - tokenCheck.at > TOKEN_CHECK_EVERY_MS) refreshTokenCheck();
    const checks = {
      identity: botOpenId !== undefined,
      accepting,
      ...shared.checks(),
      token: tokenCheck.ok,
      queue: !admissions.saturated(),
      ...deps.checks?.(),
    };
    return { ready: Object.values(checks).every(Boolean), checks };
  }

  function takingEvents(): boolean {
    return accepting && botOpenId !== undefined && shared.isOpen();
  }

  /** Journaled commands nobody answers (left by a stop, or by a replica that died) are answered here. */
  async function claimOrphans(): Promise<void> {
    const claimed = await intake.claim();
    if (claimed.length > 0) logger.info({ count: claimed.length }, 'resuming commands accepted before a stop');
    for (const entry of claimed) schedule(entry, true);
  }
  const claimTimer = setInterval(() => {
    if (accepting && botOpenId !== undefined)
      claimOrphans().catch((e: unknown) => logger.warn({ err: e }, 'cannot look for unanswered commands'));
  }, CLAIM_EVERY_MS);
  claimTimer.unref();

  metrics.readFrom({
    queueDepth: () => admissions.pending,
    watchesActive: async () => (shared.isOpen() ? (await watches.active().catch(() => [])).length : 0),
  });
  const events: EventEntry = {
    accepting: takingEvents,
    onEvent: (event) =>
      routeEvent(event, {
        botOpenId: () => botOpenId,
        accept,
        onAccepted: (entry) => schedule(entry),
        now: () => clock.now(),
        logger,
      }),
    onCardAction: async (event) => {
      const answer = await onCardAction(event).catch((e: unknown) => {
        const error = toBotError(e);
        if (error.code !== 'unavailable') throw e;
        logger.warn(
          { event_id: event.eventId, err_msg: error.message },
          'button press not handled: shared state out of reach',
        );
        return toast(
          'warning',
          '机器人暂时不可用，请稍后再试。',
          'The bot is temporarily unavailable; try again shortly.',
        );
      });
      if ('card' in answer) metrics.cardSent('callback');
      return answer;
    },
  };
  const handler = createFrontDoor({
    decode: deps.decode,
    readiness,
    ...events,
    metrics: () => metrics.scrape(),
    now: () => clock.now(),
    logger,
    extend: deps.extendHttp,
  });

  return {
    handler,
    events,
    watcher,
    snapshots,
    readiness,
    async start() {
      let delay = 1000;
      while (accepting && botOpenId === undefined) {
        try {
          botOpenId = await api.botOpenId();
          tokenCheck.ok = true;
          tokenCheck.at = clock.now();
          logger.info({ bot_open_id: botOpenId }, 'bot identity known; ready');
        } catch (e) {
          const error = toBotError(e);
          logger.error(
            { code: error.code, feishu_code: error.feishuCode, err_msg: error.message, retry_in_ms: delay },
            'cannot fetch the bot’s own info (GET /open-apis/bot/v3/info); is the bot capability enabled and are the credentials right?',
          );
          await clock.sleep(delay);
          delay = Math.min(delay * 2, 30_000);
        }
      }
      if (!accepting) return;
      await claimOrphans().catch((e: unknown) =>
        logger.warn({ err: e }, 'cannot look for unanswered commands yet; looking again shortly'),
      );
      watcher.start();
    },
    async idle() {
      for (;;) {
        await commands.idle();
        if (working.size === 0) return;
        await Promise.allSettled([...working]);
      }
    },
    async shutdown(deadlineMs) {
      accepting = false;
      clearInterval(claimTimer);
      outbound.stopReads(new BotError('cancelled', 'shutting down'));
      commands.stop();
      const settled = Promise.all([commands.idle(), Promise.allSettled([...working]), watcher.shutdown()]).then(
        () => true,
      );
      const finished = await Promise.race([settled, clock.sleep(deadlineMs).then(() => false)]);
      await shared.close();
      return { finished };
    },
  };
}
