/**
 * Wiring: the shared state, the one pipeline to Feishu, what the bot reacts
 * to (its handlers), and the pipelines that run them. Everything remote comes
 * in through `deps`, so tests build the real bot around a fake Open API, their
 * own clock and an in-memory store. Receivers (the webhook, the long
 * connection) are built by the caller around `events`.
 */
import type { Logger } from 'pino';
import { AccessControl, type AccessPolicy } from './access/policy.js';
import { deliveryPress } from './actions/delivery.js';
import { queryForm } from './actions/queryForm.js';
import { refresh } from './actions/refresh.js';
import { extendWatch } from './actions/extendWatch.js';
import { stopWatch } from './actions/stopWatch.js';
import { didYouMean, help, invalidId, invalidWatch, tooLong, tooManyIds } from './commands/explain.js';
import { delivery } from './commands/delivery.js';
import { history } from './commands/history.js';
import { parseCommand } from './commands/parse.js';
import { reads } from './commands/reads.js';
import { stop } from './commands/stop.js';
import { watch } from './commands/watch.js';
import { createCardActions, PRESSES_PER_MINUTE } from './dispatch/cardActions.js';
import { CommandPipeline, perMinute, type RateKind } from './dispatch/commandPipeline.js';
import { actionContext, commandContext, presentAnswer, replyTo, type ContextParts } from './dispatch/contexts.js';
import { Jobs } from './dispatch/jobs.js';
import { Handlers } from './dispatch/registry.js';
import { tellPerson } from './dispatch/tellPerson.js';
import type { Clock } from './domain/clock.js';
import type { JournalEntry } from './domain/types.js';
import type { EventEntry } from './events/entry.js';
import type { RoutedEvent } from './events/entry.js';
import { botMenu, botMenuKeys } from './events/botMenu.js';
import { readCardAction } from './events/cardAction.js';
import { chatEntered } from './events/chatEntered.js';
import { commandsForBot, messageReceived } from './events/messageReceived.js';
import { routeEvent, type EventContext } from './events/router.js';
import { CircuitBreaker, guardApi, type BreakerPolicy } from './feishu/breaker.js';
import { instrumentApi } from './feishu/instrumentApi.js';
import type { FeishuApi } from './feishu/openApi.js';
import { Outbound } from './feishu/outbound.js';
import type { RetryPolicy } from './feishu/retry.js';
import { Lifecycle } from './lifecycle/lifecycle.js';
import { ReadinessCheck, type Readiness } from './lifecycle/readiness.js';
import { scopesNeeded, selfCheck, type SelfCheckReport } from './lifecycle/selfCheck.js';
import { noMetrics, type Metrics } from './metrics/metrics.js';
import { Admissions, DEFAULT_QUEUE_LIMITS, type QueueLimits } from './scheduling/admissions.js';
import type { SharedState } from './shared/sharedState.js';
import { Deliveries } from './snapshots/deliveries.js';
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
  breaker?: BreakerPolicy;
  /** How long a card callback may wait for fresh numbers before answering "refreshing…" (Feishu allows 3 s). */
  callbackBudgetMs?: number;
  /** A snapshot younger than this answers without a call (default 5 s). */
  freshMs?: number;
  /** Commands running at once (default 200): enough to keep read_user at 50/s while each waits its turn. */
  runningCommands?: number;
  metrics?: Metrics;
  /** More /readyz checks, e.g. the long connection's. */
  checks?: () => Record<string, boolean>;
  /** Live mode: once started, check the app's scopes and report what is missing (log, /readyz). */
  selfCheck?: { appId: string; consoleBase: string };
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

/** What the bot reacts to: one line an event type, command or card action. */
export function registerHandlers(): Handlers {
  return new Handlers()
    .event('im.message.receive_v1', messageReceived, commandsForBot(parseCommand))
    .event('application.bot.menu_v6', botMenu, botMenuKeys)
    .event('im.chat.access_event.bot_p2p_chat_entered_v1', chatEntered)
    .command('reads', reads)
    .command('history', history)
    .command('watch', watch)
    .command('stop', stop)
    .command('delivery', delivery)
    .command('help', help)
    .command('invalid_id', invalidId)
    .command('too_many_ids', tooManyIds)
    .command('too_long', tooLong)
    .command('invalid_watch', invalidWatch)
    .command('did_you_mean', didYouMean)
    .action('refresh', refresh())
    .action('stop_watch', stopWatch)
    .action('extend_watch', extendWatch)
    .action('delivery', deliveryPress)
    .action('query_form', queryForm);
}

export function createBot(deps: BotDeps): Bot {
  const { clock, logger, shared, timeZone } = deps;
  const metrics = deps.metrics ?? noMetrics;
  const api = instrumentApi(deps.api, metrics, clock);
  // Every call the bot makes passes the one breaker; its probe is the start-up call, bot info.
  const breaker = new CircuitBreaker({ clock, logger, policy: deps.breaker, probe: () => api.botOpenId() });
  const guarded = guardApi(api, breaker);
  const outbound = new Outbound({ api: guarded, clock, logger, retry: deps.retry, metrics, budgets: shared.budgets });
  const limits = deps.limits ?? DEFAULT_QUEUE_LIMITS;
  const admissions = new Admissions(limits);
  const access = new AccessControl(deps.access ?? { kind: 'everyone' }, outbound, () => clock.now());
  const { history, intake } = shared;
  const snapshots = new Snapshots({ outbound, history, calls: shared.calls, clock, freshMs: deps.freshMs });
  const deliveries = new Deliveries({ outbound, progress: shared.progress, clock, freshMs: deps.freshMs });
  const isChatAdmin = (chatId: string, openId: string) => access.isChatAdmin(chatId, openId);
  const watcher = new Watcher({
    snapshots,
    watches: shared.watches,
    history,
    outbound,
    clock,
    timeZone,
    logger,
    isChatAdmin,
    feishu: breaker,
  });
  const handlers = registerHandlers();
  const jobs = new Jobs();
  /** Queries count toward USER_COMMANDS_PER_MINUTE; answers that ask Feishu nothing, toward a looser limit of their own. */
  const personRate = (key: string, kind: RateKind = 'queries') =>
    shared.rates.take(kind === 'queries' ? `commands:${key}` : `${kind}:${key}`, {
      windowMs: 60_000,
      max: perMinute(kind, limits),
    });
  const parts: ContextParts = {
    ...{ snapshots, deliveries, history, watches: watcher, outbound, metrics, jobs, clock, timeZone },
    personRate,
  };
  /** Aborted on stop: one-to-one cards still waiting for Feishu are given up then (they are not journaled). */
  const telling = new AbortController();
  const tell = tellPerson({ outbound, access, jobs, personRate, clock, feishu: breaker, stopping: telling.signal });

  const pipeline = new CommandPipeline({
    ...{ admissions, limits, intake, access, handlers, clock, logger, parse: parseCommand },
    reply: (entry, card, log, lane) => replyTo(parts, entry, card, log, lane),
    context: (entry, log, lane) => commandContext(parts, entry, log, lane),
    running: deps.runningCommands ?? 200,
    personRate,
    ...{ feishu: breaker, dropped: () => metrics.droppedWaiting() },
  });
  const lifecycle = new Lifecycle({
    ...{ clock, logger },
    botOpenId: () => api.botOpenId(),
    claim: () => intake.claim(),
    resume: (entry) => pipeline.schedule(entry, true),
    started: () => {
      readiness.tokenWorks();
      watcher.start();
      if (deps.selfCheck) {
        const needs = scopesNeeded(deps.access ?? { kind: 'everyone' });
        // Its probes take their turns under the limits, as every other call does.
        const probes = {
          readUser: (id: string) => outbound.readUser(id),
          chatAdmins: (id: string) => outbound.chatAdmins(id),
          userDepartments: (id: string) => outbound.userDepartments(id),
          grantedScopes: () => api.grantedScopes(),
        };
        void selfCheck({ ...deps.selfCheck, api: probes, needs, logger }).then((report) => (scopes = report));
      }
    },
    stopWork: (reason) => {
      outbound.stopReads(reason);
      pipeline.stop();
      telling.abort();
    },
    drain: () => Promise.all([pipeline.idle(), jobs.settled(), watcher.shutdown()]),
    close: () => {
      breaker.stop();
      return shared.close();
    },
  });
  let scopes: SelfCheckReport | undefined;
  const readiness = new ReadinessCheck({
    clock,
    checkToken: () => api.botOpenId(),
    details: () => scopes && { scopes },
    checks: () => ({
      ...{ identity: lifecycle.botOpenId !== undefined, accepting: lifecycle.accepting },
      ...shared.checks(),
      ...{ queue: !admissions.saturated(), feishu: breaker.state === 'closed' },
      ...deps.checks?.(),
    }),
  });
  const takingEvents = () => lifecycle.accepting && lifecycle.botOpenId !== undefined && shared.isOpen();

  /** Records the keys as seen; false when one was seen before (a redelivery). */
  async function accept(keys: string[], entry?: JournalEntry): Promise<boolean> {
    const fresh = await intake.accept(keys, entry);
    if (!fresh) metrics.dedupeHit();
    return fresh;
  }
  const onCardAction = createCardActions({
    ...{ handlers, access, accept, clock, logger, metrics },
    accepting: takingEvents,
    pressRate: (openId) => shared.rates.take(`presses:${openId}`, { windowMs: 60_000, max: PRESSES_PER_MINUTE }),
    context: (press, log, inTime) => actionContext(parts, press, log, inTime),
    present: (press, reply, log, inTime) => presentAnswer(parts, press, reply, log, inTime),
    callbackBudgetMs: deps.callbackBudgetMs,
  });
  const routing = (event: RoutedEvent): EventContext => {
    const log = () => logger.child({ event_id: event.eventId, event_type: event.eventType });
    return {
      botOpenId: () => lifecycle.botOpenId,
      accept,
      schedule: (entry) => pipeline.schedule(entry),
      now: () => clock.now(),
      tellPerson: (person, card, uuid, options) => tell(person, card, uuid, options, log()),
      greetings: shared.greetings,
      log,
    };
  };

  metrics.readFrom({
    queueDepth: () => admissions.pending,
    watchesActive: async () => (shared.isOpen() ? (await shared.watches.active().catch(() => [])).length : 0),
  });
  metrics.readFrom({
    feishuBreaker: () => ({ closed: 0, half_open: 1, open: 2 })[breaker.state],
    waitingForFeishu: () => pipeline.waitingForFeishu,
  });
  return {
    events: {
      accepting: takingEvents,
      claims: (event) =>
        event.eventType === 'card.action.trigger'
          ? readCardAction(event.event) !== undefined
          : handlers.claimsEvent(event, lifecycle.botOpenId),
      onEvent: (event) => routeEvent(event, (type) => handlers.eventHandler(type), routing(event)),
      onCardAction,
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
