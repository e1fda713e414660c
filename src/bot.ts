/**
 * Wiring: the shared state, the one pipeline to Feishu, what the bot reacts
 * to (its handlers), and the pipelines that run them. Everything remote comes
 * in through `deps`, so tests build the real bot around a fake Open API, their
 * own clock and an in-memory store. Receivers (the webhook, the long
 * connection) are built by the caller around `events`.
 */
import type { Logger } from 'pino';
import { AccessControl, type AccessPolicy } from './access/policy.js';
import { refresh } from './actions/refresh.js';
import { stopWatch } from './actions/stopWatch.js';
import type { Card } from './cards/card.js';
import { help, invalidId, invalidWatch, tooLong, tooManyIds } from './commands/explain.js';
import { history } from './commands/history.js';
import { reads } from './commands/reads.js';
import { watch } from './commands/watch.js';
import { createCardActions } from './dispatch/cardActions.js';
import { CommandPipeline } from './dispatch/commandPipeline.js';
import type { ActionContext, CommandContext, WatchControl } from './dispatch/context.js';
import { Jobs } from './dispatch/jobs.js';
import { Handlers } from './dispatch/registry.js';
import type { Clock } from './domain/clock.js';
import { replyUuid } from './domain/ids.js';
import type { JournalEntry } from './domain/types.js';
import type { EventEntry } from './events/entry.js';
import { routeEvent } from './events/router.js';
import { instrumentApi } from './feishu/instrumentApi.js';
import type { FeishuApi } from './feishu/openApi.js';
import { Outbound } from './feishu/outbound.js';
import type { RetryPolicy } from './feishu/retry.js';
import { Lifecycle } from './lifecycle/lifecycle.js';
import { ReadinessCheck, type Readiness } from './lifecycle/readiness.js';
import { noMetrics, type Metrics } from './metrics/metrics.js';
import { Admissions, DEFAULT_QUEUE_LIMITS, type QueueLimits } from './queue/admissions.js';
import type { SharedState } from './shared/sharedState.js';
import { Snapshots } from './snapshots/snapshots.js';
import { Watcher } from './watch/watcher.js';

export interface BotDeps {
  timeZone: string;
  api: FeishuApi;
  shared: SharedState;
  clock: Clock;
  logger: Logger;
  limits?: QueueLimits;
  access?: AccessPolicy;
  retry?: RetryPolicy;
  /** How long a card callback may wait for fresh numbers before answering "refreshing…" (Feishu allows 3 s). */
  callbackBudgetMs?: number;
  /** A snapshot younger than this answers without a call (default 5 s). */
  freshMs?: number;
  /** Commands running at once (default 200): enough to keep read_user at 50/s while each waits its turn. */
  runningCommands?: number;
  metrics?: Metrics;
  /** More /readyz checks, e.g. the long connection's. */
  checks?: () => Record<string, boolean>;
}

export interface Bot {
  /** Where events enter, whatever carries them (the webhook, the long connection). */
  events: EventEntry;
  /** Learns the bot's own open_id, then resumes journaled commands and watches. */
  start(): Promise<void>;
  readiness(): Readiness;
  /** Resolves when every command taken so far has been answered (or left for the next start). */
  idle(): Promise<void>;
  watcher: Watcher;
  /** Stops taking events (503: Feishu redelivers), lets running work finish until `deadlineMs`, leaves the rest journaled. */
  shutdown(deadlineMs: number): Promise<{ finished: boolean }>;
}

/** What the bot reacts to: one line a command or card action. */
function registerHandlers(): Handlers {
  return new Handlers()
    .command('reads', reads)
    .command('history', history)
    .command('watch', watch)
    .command('help', help)
    .command('invalid_id', invalidId)
    .command('too_many_ids', tooManyIds)
    .command('too_long', tooLong)
    .command('invalid_watch', invalidWatch)
    .action('refresh', refresh())
    .action('stop_watch', stopWatch);
}

export function createBot(deps: BotDeps): Bot {
  const { clock, logger, shared, timeZone } = deps;
  const metrics = deps.metrics ?? noMetrics;
  const api = instrumentApi(deps.api, metrics, clock);
  const outbound = new Outbound({ api, clock, logger, retry: deps.retry, metrics, budgets: shared.budgets });
  const limits = deps.limits ?? DEFAULT_QUEUE_LIMITS;
  const admissions = new Admissions(limits);
  const access = new AccessControl(deps.access ?? { kind: 'everyone' }, outbound, () => clock.now());
  const snapshots = new Snapshots({
    outbound,
    history: shared.history,
    calls: shared.calls,
    clock,
    freshMs: deps.freshMs,
  });
  const watcher = new Watcher({
    snapshots,
    watches: shared.watches,
    history: shared.history,
    outbound,
    clock,
    timeZone,
    logger,
  });
  const handlers = registerHandlers();
  const jobs = new Jobs();
  const now = () => clock.now();

  const watches: WatchControl = {
    refusal: (chatId, batchId) => watcher.refusal(chatId, batchId),
    start: (w) => watcher.add(w),
    get: (id) => shared.watches.get(id),
    cardNow: (id, refreshedBy) => watcher.cardNow(id, refreshedBy),
    stop: (id, operator) => watcher.stop(id, operator, (chatId) => access.isChatAdmin(chatId, operator)),
  };

  async function reply(entry: JournalEntry, card: Card, log: Logger): Promise<string> {
    const sent = await outbound.reply(entry.chatId, entry.messageId, card, replyUuid(entry.messageId), log);
    log.info('replied');
    metrics.answered((clock.now() - entry.acceptedAt) / 1000);
    return sent;
  }

  const commandContext = (entry: JournalEntry, log: Logger): CommandContext => ({
    entry,
    log,
    now,
    timeZone,
    watches,
    snapshot: (batchId) => snapshots.take(batchId, { askedBy: entry.senderOpenId, log }),
    series: (batchId) => shared.history.series(batchId, clock.now()),
    reply: (card) => reply(entry, card, log),
  });
  const pipeline = new CommandPipeline({
    admissions,
    limits,
    intake: shared.intake,
    access,
    handlers,
    reply,
    context: commandContext,
    clock,
    logger,
    running: deps.runningCommands ?? 200,
  });

  const actionContext = (
    press: ActionContext['press'],
    log: Logger,
    inTime: ActionContext['inTime'],
  ): ActionContext => ({
    press,
    log,
    now,
    timeZone,
    watches,
    inTime,
    snapshot: (batchId) => snapshots.take(batchId, { askedBy: press.operatorOpenId, fresh: true, log }),
    updateLater: (ready, rebuild) =>
      jobs.track(
        ready
          .then((card) => outbound.patch(press.messageId, () => (rebuild ? rebuild(card) : card), log))
          .then(() => log.info('refreshed by updating the message'))
          .catch((e: unknown) => log.error({ err: e }, 'could not update the card after a refresh')),
      ),
  });

  const lifecycle = new Lifecycle({
    clock,
    logger,
    botOpenId: () => api.botOpenId(),
    claim: () => shared.intake.claim(),
    resume: (entry) => pipeline.schedule(entry, true),
    started: () => {
      readiness.tokenWorks();
      watcher.start();
    },
    stopWork: (reason) => {
      outbound.stopReads(reason);
      pipeline.stop();
    },
    drain: () => Promise.all([pipeline.idle(), jobs.settled(), watcher.shutdown()]),
    close: () => shared.close(),
  });
  const takingEvents = () => lifecycle.accepting && lifecycle.botOpenId !== undefined && shared.isOpen();

  const readiness = new ReadinessCheck({
    clock,
    checkToken: () => api.botOpenId(),
    checks: () => ({
      identity: lifecycle.botOpenId !== undefined,
      accepting: lifecycle.accepting,
      ...shared.checks(),
      queue: !admissions.saturated(),
      ...deps.checks?.(),
    }),
  });

  /** Records the keys as seen; false when one was seen before (a redelivery). */
  async function accept(keys: string[], entry?: JournalEntry): Promise<boolean> {
    const fresh = await shared.intake.accept(keys, entry);
    if (!fresh) metrics.dedupeHit();
    return fresh;
  }

  metrics.readFrom({
    queueDepth: () => admissions.pending,
    watchesActive: async () => (shared.isOpen() ? (await shared.watches.active().catch(() => [])).length : 0),
  });

  return {
    events: {
      accepting: takingEvents,
      onEvent: (event) =>
        routeEvent(event, {
          botOpenId: () => lifecycle.botOpenId,
          accept,
          onAccepted: (e) => pipeline.schedule(e),
          now,
          logger,
        }),
      onCardAction: createCardActions({
        handlers,
        access,
        accept,
        accepting: takingEvents,
        context: actionContext,
        clock,
        logger,
        metrics,
        callbackBudgetMs: deps.callbackBudgetMs,
      }),
    },
    watcher,
    readiness: () => readiness.now(),
    start: () => lifecycle.start(),
    idle: async () => {
      await pipeline.idle();
      await jobs.settled();
    },
    shutdown: (deadlineMs) => lifecycle.shutdown(deadlineMs),
  };
}
