/** The contexts handlers act through, made from the bot's parts. */
import type { Logger } from 'pino';
import type { Card } from '../cards/card.js';
import { canUpdate, stampBirth } from '../cards/cardAge.js';
import { answer, type ActionAnswer } from '../cards/toasts.js';
import type { Clock } from '../domain/clock.js';
import { replyUuid } from '../domain/ids.js';
import type { JournalEntry } from '../domain/types.js';
import type { CardPress } from '../inbound/events/cardAction.js';
import type { Outbound } from '../feishu/outbound.js';
import type { Metrics } from '../domain/metrics.js';
import type { Lane } from '../scheduling/lanes.js';
import type { HistoryLog } from '../state/sharedState.js';
import type { Deliveries } from '../feishu/deliveries.js';
import type { Snapshots } from '../feishu/snapshots.js';
import type { SentView } from '../cards/sentBlock.js';
import type { ActionContext, CommandContext, SendControl, WatchControl } from './handlerContext.js';
import type { Guards } from './guards.js';
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
  /** A form submit counts against its sender's rate of queries, as a typed command does. */
  guards: Guards;
  sending: SendControl;
  /** What a reads card of a batch message adds when the bot sent it. */
  sentView(batchId: string): Promise<SentView | undefined>;
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
  const stamped = stampBirth(card, p.clock.now());
  const sent = await p.outbound.reply(entry.chatId, entry.messageId, stamped, replyUuid(entry.messageId), log, lane);
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
    sending: p.sending,
    sentView: (batchId: string) => p.sentView(batchId),
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

/** A press's calls take the presser's turn, in the chat of the card. */
function pressLane(press: CardPress): Lane {
  return { cls: 'person', chat: press.chatId, person: press.operatorOpenId };
}

/**
 * A pressed card too old to update (see cards/cardAge.ts) gets its new
 * content as a fresh card replying to it. Presses within a minute share one
 * (Feishu sends one reply per uuid), so a few impatient presses send one card.
 */
async function resend(p: ContextParts, press: CardPress, card: Card, log: Logger): Promise<void> {
  const now = p.clock.now();
  const uuid = replyUuid(`fresh:${press.messageId}:${Math.floor(now / 60_000)}`);
  await p.outbound.reply(press.chatId, press.messageId, stampBirth(card, now), uuid, log, pressLane(press));
  log.info('card too old to update; sent a fresh one');
}

/**
 * A press's answer as Feishu gets it: a new card keeps the pressed card's age,
 * or, when that is too old to update, goes out as a fresh card; the toast
 * says which, or that neither could be done when the fresh card failed in time.
 */
export async function presentAnswer(
  p: ContextParts,
  press: CardPress,
  reply: ActionAnswer,
  log: Logger,
  inTime: ActionContext['inTime'],
): Promise<ActionAnswer> {
  const { bornAt } = press;
  if (!reply.card || bornAt === undefined) return reply;
  if (canUpdate(bornAt, p.clock.now()))
    return { ...reply, card: { ...reply.card, data: stampBirth(reply.card.data, bornAt) } };
  const sending = resend(p, press, reply.card.data, log).then(
    () => true,
    (e: unknown) => {
      log.error({ err: e }, 'could not send a fresh card for a card too old to update');
      return false;
    },
  );
  p.jobs.track(sending);
  return (await inTime(sending)) === false ? answer('cardTooOldNotSent') : answer('cardTooOld');
}

export function actionContext(
  p: ContextParts,
  press: CardPress,
  log: Logger,
  inTime: ActionContext['inTime'],
): ActionContext {
  const lane = pressLane(press);
  const { bornAt } = press;
  const updateLater: ActionContext['updateLater'] = (ready, rebuild) => {
    const build = async (card: Card) => {
      const built = rebuild ? await rebuild(card) : card;
      return bornAt === undefined ? built : stampBirth(built, bornAt);
    };
    const deliver = canUpdate(bornAt, p.clock.now())
      ? (card: Card) =>
          p.outbound
            .patch(press.messageId, () => build(card), log, lane)
            .then(() => log.info('refreshed by updating the message'))
      : async (card: Card) => resend(p, press, await build(card), log);
    p.jobs.track(
      ready.then(deliver).catch((e: unknown) => log.error({ err: e }, 'could not update the card after a refresh')),
    );
  };
  return {
    ...common(p, log, press.operatorOpenId, true),
    press,
    inTime,
    snapshot: (batchId) => p.snapshots.take(batchId, { askedBy: press.operatorOpenId, fresh: true, log, lane }),
    updateLater,
    countCommand: async () => (await p.guards.rate('queries', press.operatorOpenId)).allowed,
  };
}
