/**
 * Wiring, in the order a command flows: the call path to Feishu, the
 * services handlers use, the command pipeline and the guards every way in
 * passes, the lifecycle, and the inbox where events arrive. Everything remote
 * comes in through `deps`, so tests build the real bot around a fake Open
 * API, their own clock and an in-memory store. Receivers (the webhook, the
 * long connection) are built by the caller around `events`.
 */
import type { Logger } from 'pino';
import { AccessControl, type AccessPolicy } from '../dispatch/access.js';
import { createCardActions } from '../dispatch/cardActions.js';
import { CommandPipeline } from '../dispatch/commands/commandPipeline.js';
import { Guards } from '../dispatch/guards.js';
import { Jobs } from '../dispatch/jobs.js';
import { actionContext, commandContext, presentAnswer, replyTo, type ContextParts } from '../dispatch/makeContexts.js';
import type { Handlers } from '../dispatch/registry.js';
import { tellPerson } from '../dispatch/tellPerson.js';
import type { Clock } from '../domain/clock.js';
import { DEFAULT_QUEUE_LIMITS, type QueueLimits } from '../domain/limits.js';
import { noMetrics, type Metrics } from '../domain/metrics.js';
import type { JournalEntry } from '../domain/types.js';
import { createSending } from '../features/send/sending.js';
import { Watcher } from '../features/watch/watcher.js';
import { instrumentApi } from '../feishu/api/instrumentApi.js';
import type { FeishuApi } from '../feishu/api/openApi.js';
import { CircuitBreaker, guardApi, type BreakerPolicy } from '../feishu/breaker.js';
import { Deliveries } from '../feishu/deliveries.js';
import { Outbound } from '../feishu/outbound.js';
import type { RetryPolicy } from '../feishu/retry.js';
import { Snapshots } from '../feishu/snapshots.js';
import type { EventInbox, RoutedEvent } from '../inbound/eventInbox.js';
import { readCardAction } from '../inbound/events/cardAction.js';
import { routeEvent, type EventContext } from '../inbound/events/router.js';
import type { Readiness } from '../inbound/http/server.js';
import { parseCommand } from '../parse/parse.js';
import { Admissions } from '../scheduling/admissions.js';
import type { SharedState } from '../state/sharedState.js';
import { registerHandlers } from './handlers.js';
import { Lifecycle } from './lifecycle.js';
import { ReadinessCheck } from './readiness.js';
import { scopesNeeded, selfCheck, type SelfCheckReport } from './selfCheck.js';

export interface BotDeps {
  timeZone: string;
  api: FeishuApi;
  shared: SharedState;
  clock: Clock;
  logger: Logger;
  limits?: QueueLimits;
  access?: AccessPolicy;
  /** Who may send batch messages with /send (open ids or user ids): nobody by default. */
  senders?: ReadonlySet<string>;
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
  events: EventInbox;
  /** Learns the bot's own open_id, then resumes journaled commands and watches. */
  start(): Promise<void>;
  readiness(): Readiness;
  /** Resolves when every command taken so far has been answered (or left for the next start). */
  idle(): Promise<void>;
  watcher: Watcher;
  /** Stops taking events (503: Feishu redelivers), lets running work finish until `deadlineMs`, leaves the rest journaled. */
  shutdown(deadlineMs: number): Promise<{ finished: boolean }>;
}

/** Every call the bot makes: counted, through the one circuit breaker (its probe is bot info), scheduled and retried. */
function callPath(deps: BotDeps, metrics: Metrics) {
  const { clock, logger, shared } = deps;
  const api = instrumentApi(deps.api, metrics, clock);
  // The probe is called only once the breaker has opened, long after both exist.
  const breaker: CircuitBreaker = new CircuitBreaker({
    ...{ clock, logger, policy: deps.breaker },
    probe: () => outbound.botOpenId(),
  });
  const outbound = new Outbound({
    ...{ api: guardApi(api, breaker), unguarded: api, clock, logger, retry: deps.retry, metrics },
    budgets: shared.budgets,
  });
  return { breaker, outbound };
}

/** What handlers act through: snapshots, delivery funnels, watches, the guards, replies. */
function services(deps: BotDeps, metrics: Metrics, { breaker, outbound }: ReturnType<typeof callPath>) {
  const { clock, logger, shared, timeZone } = deps;
  const limits = deps.limits ?? DEFAULT_QUEUE_LIMITS;
  const access = new AccessControl(deps.access ?? { kind: 'everyone' }, outbound, () => clock.now());
  const guards = new Guards({ access, rates: shared.rates, limits });
  const { history } = shared;
  const snapshots = new Snapshots({ outbound, history, calls: shared.calls, clock, freshMs: deps.freshMs });
  const deliveries = new Deliveries({ outbound, progress: shared.progress, clock, freshMs: deps.freshMs });
  const isChatAdmin = (chatId: string, openId: string) => access.isChatAdmin(chatId, openId);
  // Watched cards of messages the bot sent stay their tracking cards (features/send/sendCards.ts).
  let sentView: ContextParts['sentView'] = async () => undefined;
  const watcher = new Watcher({
    ...{ snapshots, watches: shared.watches, history, outbound, clock, timeZone, logger, feishu: breaker },
    ...{ isChatAdmin, sentView: (batchId: string) => sentView(batchId) },
  });
  const jobs = new Jobs();
  /** Aborted on stop: one-to-one cards and sends still waiting for Feishu are given up then (sends stay queued). */
  const stopping = new AbortController();
  const sending = createSending({
    ...{ sends: shared.sends, senders: deps.senders ?? new Set<string>(), outbound, snapshots, deliveries },
    watches: watcher,
    ...{ isChatAdmin, clock, logger, timeZone, feishu: breaker, jobs, stopping: stopping.signal },
  });
  sentView = (batchId) => sending.cards.sentView(batchId);
  const parts: ContextParts = {
    ...{ snapshots, deliveries, history, watches: watcher, outbound, metrics, jobs, clock, timeZone },
    ...{ guards, sending: sending.service, sentView },
  };
  return { limits, guards, watcher, jobs, parts, stopping, sending };
}

type Services = ReturnType<typeof services>;

/** Accepted commands, from admission to their answer. */
function commandFlow(deps: BotDeps, metrics: Metrics, handlers: Handlers, s: Services, breaker: CircuitBreaker) {
  const { clock, logger, shared } = deps;
  const admissions = new Admissions(s.limits);
  const pipeline = new CommandPipeline({
    ...{ admissions, guards: s.guards, intake: shared.intake, handlers, clock, logger, parse: parseCommand },
    reply: (entry, card, log, lane) => replyTo(s.parts, entry, card, log, lane),
    context: (entry, log, lane) => commandContext(s.parts, entry, log, lane),
    watches: s.watcher,
    running: deps.runningCommands ?? 200,
    ...{ feishu: breaker, dropped: () => metrics.droppedWaiting() },
  });
  return { admissions, pipeline };
}

/** Live mode's check of the app's scopes; its probes take their turns under the limits, as every other call does. */
function runSelfCheck(deps: BotDeps, { outbound }: ReturnType<typeof callPath>) {
  if (!deps.selfCheck) return undefined;
  const probes = {
    readUser: (id: string) => outbound.readUser(id),
    chatAdmins: (id: string) => outbound.chatAdmins(id),
    userDepartments: (id: string) => outbound.userDepartments(id),
    grantedScopes: () => outbound.grantedScopes(),
  };
  const needs = scopesNeeded(deps.access ?? { kind: 'everyone' }, (deps.senders?.size ?? 0) > 0);
  return selfCheck({ ...deps.selfCheck, api: probes, needs, logger: deps.logger });
}

export function createBot(deps: BotDeps): Bot {
  const { clock, logger, shared } = deps;
  const metrics = deps.metrics ?? noMetrics;
  const feishu = callPath(deps, metrics);
  const { breaker, outbound } = feishu;
  const s = services(deps, metrics, feishu);
  const handlers = registerHandlers();
  const { admissions, pipeline } = commandFlow(deps, metrics, handlers, s, breaker);
  const tell = tellPerson({
    outbound,
    guards: s.guards,
    jobs: s.jobs,
    clock,
    feishu: breaker,
    stopping: s.stopping.signal,
  });

  let scopes: SelfCheckReport | undefined;
  const lifecycle = new Lifecycle({
    ...{ clock, logger },
    botOpenId: () => outbound.botOpenId(),
    claim: () => shared.intake.claim(),
    resume: (entry) => pipeline.schedule(entry, true),
    started: () => {
      readiness.tokenWorks();
      s.watcher.start();
      void s.sending.confirmed.resume().catch((e: unknown) => logger.warn({ err: e }, 'could not resume sends'));
      void runSelfCheck(deps, feishu)?.then((report) => (scopes = report));
    },
    stopWork: (reason) => {
      outbound.stopReads(reason);
      pipeline.stop();
      s.stopping.abort();
    },
    drain: () => Promise.all([pipeline.idle(), s.jobs.settled(), s.watcher.shutdown()]),
    close: () => {
      breaker.stop();
      return shared.close();
    },
  });
  const readiness = new ReadinessCheck({
    clock,
    checkToken: () => outbound.botOpenId(),
    details: () => scopes && { scopes },
    checks: () => ({
      ...{ identity: lifecycle.botOpenId !== undefined, accepting: lifecycle.accepting },
      ...shared.checks(),
      ...{ queue: !admissions.saturated(), feishu: breaker.state === 'closed' },
      ...deps.checks?.(),
    }),
  });
  metrics.readFrom({
    queueDepth: () => admissions.pending,
    watchesActive: async () => (shared.isOpen() ? (await shared.watches.active().catch(() => [])).length : 0),
    feishuBreaker: () => ({ closed: 0, half_open: 1, open: 2 })[breaker.state],
    waitingForFeishu: () => pipeline.waitingForFeishu,
  });
  const takingEvents = () => lifecycle.accepting && lifecycle.botOpenId !== undefined && shared.isOpen();
  const botOpenId = () => lifecycle.botOpenId;
  const events = inbox({ deps, metrics, handlers, s, takingEvents, botOpenId, tell, pipeline });
  return {
    events,
    watcher: s.watcher,
    readiness: () => readiness.now(),
    start: () => lifecycle.start(),
    idle: async () => {
      await pipeline.idle();
      await s.jobs.settled();
    },
    shutdown: (deadlineMs) => lifecycle.shutdown(deadlineMs),
  };
}

/** Where verified events arrive: de-duplicated and journaled, then routed; button presses through their guards. */
function inbox(w: {
  deps: BotDeps;
  metrics: Metrics;
  handlers: Handlers;
  s: Services;
  takingEvents: () => boolean;
  botOpenId: () => string | undefined;
  tell: ReturnType<typeof tellPerson>;
  pipeline: CommandPipeline;
}): EventInbox {
  const { deps, metrics, handlers, s } = w;
  const { clock, logger, shared } = deps;
  /** Records the keys as seen; false when one was seen before (a redelivery). */
  const accept = async (keys: string[], entry?: JournalEntry): Promise<boolean> => {
    const fresh = await shared.intake.accept(keys, entry);
    if (!fresh) metrics.dedupeHit();
    return fresh;
  };
  const onCardAction = createCardActions({
    ...{ handlers, guards: s.guards, accept, clock, logger, metrics },
    accepting: w.takingEvents,
    context: (press, log, inTime) => actionContext(s.parts, press, log, inTime),
    present: (press, reply, log, inTime) => presentAnswer(s.parts, press, reply, log, inTime),
    callbackBudgetMs: deps.callbackBudgetMs,
  });
  const routing = (event: RoutedEvent): EventContext => {
    const log = () => logger.child({ event_id: event.eventId, event_type: event.eventType });
    return {
      botOpenId: w.botOpenId,
      accept,
      schedule: (entry) => w.pipeline.schedule(entry),
      now: () => clock.now(),
      tellPerson: (person, card, uuid, options) => w.tell(person, card, uuid, options, log()),
      greetings: shared.greetings,
      sendPermission: (person) => s.sending.service.permission(person),
      log,
    };
  };
  return {
    accepting: w.takingEvents,
    actsOn: (event) =>
      event.eventType === 'card.action.trigger'
        ? readCardAction(event.event) !== undefined
        : handlers.actsOn(event, w.botOpenId()),
    onEvent: (event) => routeEvent(event, (type) => handlers.eventHandler(type), routing(event)),
    onCardAction,
  };
}
