/** The contexts handlers act through, made from the bot's parts. */
import type { Logger } from 'pino';
import type { Card } from '../cards/card.js';
import type { Clock } from '../domain/clock.js';
import { replyUuid } from '../domain/ids.js';
import type { JournalEntry } from '../domain/types.js';
import type { CardPress } from '../events/cardAction.js';
import type { Outbound } from '../feishu/outbound.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Lane } from '../queue/fairQueue.js';
import type { HistoryLog } from '../shared/sharedState.js';
import type { Deliveries } from '../snapshots/deliveries.js';
import type { Snapshots } from '../snapshots/snapshots.js';
import type { RateDecision } from '../throttle/keyedRateLimit.js';
import type { ActionContext, CommandContext, WatchControl } from './context.js';
import type { Jobs } from './jobs.js';

export interface ContextParts {
  snapshots: Snapshots;
  deliveries: Deliveries;
  history: HistoryLog;
  watches: WatchControl;
  outbound: Outbound;
  metrics: Metrics;
  /** Where late card updates are tracked, so idle and shutdown wait for them. */
  jobs: Jobs;
  clock: Clock;
  timeZone: string;
  /** Counts a command against its sender's rate (shared with typed commands). */
  personRate(senderKey: string): Promise<RateDecision>;
}

/**
 * Replies to a command's message, once per message whatever happens (the uuid), and counts the answer.
 * `lane`: whose turn the reply takes (the command's).
 */
export async function replyTo(
  p: ContextParts,
  entry: JournalEntry,
  card: Card,
  log: Logger,
  lane: Lane,
): Promise<string> {
  const sent = await p.outbound.reply(entry.chatId, entry.messageId, card, replyUuid(entry.messageId), log, lane);
  log.info('replied');
  p.metrics.answered((p.clock.now() - entry.acceptedAt) / 1000, lane.cls);
  return sent;
}

/** What every handler's context has; `fresh`: a press asks for new numbers. */
function common(p: ContextParts, log: Logger, askedBy: string | undefined, fresh: boolean) {
  return {
    log,
    now: () => p.clock.now(),
    timeZone: p.timeZone,
    watches: p.watches,
    delivery: (batchId: string) => p.deliveries.take(batchId, { askedBy, fresh, log }),
  };
}

/** `lane`: the command's class and whose turns its calls take. */
export function commandContext(p: ContextParts, entry: JournalEntry, log: Logger, lane: Lane): CommandContext {
  return {
    ...common(p, log, entry.senderOpenId, false),
    entry,
    snapshot: (batchId) => p.snapshots.take(batchId, { askedBy: entry.senderOpenId, log, lane }),
    series: (batchId) => p.history.series(batchId, p.clock.now()),
    reply: (card) => replyTo(p, entry, card, log, lane),
  };
}

export function actionContext(
  p: ContextParts,
  press: CardPress,
  log: Logger,
  inTime: ActionContext['inTime'],
): ActionContext {
  const lane: Lane = { cls: 'person', chat: press.chatId, person: press.operatorOpenId };
  const updateLater: ActionContext['updateLater'] = (ready, rebuild) =>
    p.jobs.track(
      ready
        .then((card) => p.outbound.patch(press.messageId, () => (rebuild ? rebuild(card) : card), log, lane))
        .then(() => log.info('refreshed by updating the message'))
        .catch((e: unknown) => log.error({ err: e }, 'could not update the card after a refresh')),
    );
  return {
    ...common(p, log, press.operatorOpenId, true),
    press,
    inTime,
    snapshot: (batchId) => p.snapshots.take(batchId, { askedBy: press.operatorOpenId, fresh: true, log, lane }),
    updateLater,
    countCommand: async () => (await p.personRate(press.operatorOpenId)).allowed,
  };
}
