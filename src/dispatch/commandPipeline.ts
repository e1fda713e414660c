/**
 * Every accepted command's way to its answer: admitted (or refused for load)
 * the moment it is accepted, queued as a record, checked against the access
 * policy, parsed, handed to its registered handler, and then settled —
 * forgotten once answered, or left in the journal when it has to wait.
 * When Feishu is unavailable (an outage, or retries that ran out) nothing
 * ends: the command waits in the journal and is tried again, and its late
 * answer says so.
 */
import type { Logger } from 'pino';
import type { AccessControl } from '../access/policy.js';
import type { Card } from '../cards/card.js';
import { withLateNote } from '../cards/lateNote.js';
import { buildAccessDeniedCard, buildBusyCard, buildChatBusyCard, buildSlowDownCard } from '../cards/refusalCards.js';
import type { Clock } from '../domain/clock.js';
import type { Command } from '../domain/command.js';
import { asBotError, BotError, isPostponed } from '../domain/errors.js';
import { watchIdFor } from '../domain/ids.js';
import type { JournalEntry } from '../domain/types.js';
import type { FeishuHealth } from '../feishu/breaker.js';
import { untilFeishuBack } from '../feishu/feishuBack.js';
import { COMMAND_WAIT, isTransient } from '../feishu/retry.js';
import type { Admission, Admissions, QueueLimits, Work } from '../scheduling/admissions.js';
import { CommandQueue } from '../scheduling/commandQueue.js';
import type { RateDecision } from '../scheduling/keyedRateLimit.js';
import { ANYONE, commandLane, laneAtStart, type Lane, type WorkClass } from '../scheduling/lanes.js';
import type { Intake } from '../shared/sharedState.js';
import type { CommandContext } from './context.js';
import { Jobs } from './jobs.js';
import type { Handlers } from './registry.js';

/**
 * Answers that ask Feishu nothing but the reply itself (help, a malformed id
 * or watch, a suggestion) have a looser per-person limit of their own, so
 * people finding their way are not told to slow down; the per-chat reply
 * limit still holds for them. Every other kind asks Feishu and counts as a query.
 */
export const EXPLANATIONS_PER_MINUTE = 30;
const EXPLANATIONS = new Set<Command['kind']>([
  'help',
  'invalid_id',
  'invalid_watch',
  'too_many_ids',
  'too_long',
  'did_you_mean',
]);
export type RateKind = 'queries' | 'explanations';

/** The per-person limit of a kind of command. */
export function perMinute(rate: RateKind, limits: QueueLimits): number {
  return rate === 'explanations' ? EXPLANATIONS_PER_MINUTE : limits.userCommandsPerMinute;
}

export interface CommandPipelineDeps {
  admissions: Admissions;
  limits: QueueLimits;
  intake: Intake;
  access: AccessControl;
  handlers: Handlers;
  /** What the message's text asks for. */
  parse(text: string): Command;
  /** Replies to the command's message, taking its turn in `lane`; resolves to the new message's id. */
  reply(entry: JournalEntry, card: Card, log: Logger, lane: Lane): Promise<string>;
  /** The context the command's handler acts through; its calls take their turns in `lane`. */
  context(entry: JournalEntry, log: Logger, lane: Lane): CommandContext;
  clock: Clock;
  logger: Logger;
  /** Commands running at once; the rest wait their turn as records. */
  running: number;
  /** Counts a command against its sender's rate of its kind, where replicas share it. */
  personRate(senderKey: string, kind: RateKind): Promise<RateDecision>;
  /** Whether Feishu is up (the circuit breaker), for commands waiting for it. */
  feishu: FeishuHealth;
  /** A command dropped after waiting COMMAND_WAIT.maxAgeMs for Feishu. */
  dropped(): void;
  random?: () => number;
}

/** A transient Feishu failure as the wait it means for a command; anything else (a bug too) as it is. */
function waitingFor(e: unknown): unknown {
  const error = asBotError(e);
  if (!isTransient(error)) return e;
  return new BotError('waiting_for_feishu', error.message, { cause: error, retryAfterMs: error.retryAfterMs });
}

export class CommandPipeline {
  /**
   * Only the journal entry waits: what it asks for is parsed again when it
   * starts. Thousands can wait, and every byte each keeps is marked and
   * copied again by each garbage collection while they wait.
   */
  private readonly queue: CommandQueue<JournalEntry>;
  private readonly jobs = new Jobs();
  /** Commands that found Feishu unavailable, waiting here to try again. */
  private readonly waiting = new Set<string>();
  /** Answers built whose reply found Feishu unavailable, until their wait is journaled. */
  private readonly kept = new Map<string, Pick<JournalEntry, 'card' | 'takenAt'>>();
  private stopped = false;

  constructor(private readonly deps: CommandPipelineDeps) {
    this.queue = new CommandQueue(deps.running, (entry, cls) => this.start(entry, cls));
    // While Feishu is unavailable no command starts: each would only fail and wait again.
    deps.feishu.onChange((state) => (state === 'closed' ? this.queue.resume() : this.queue.pause()));
  }

  /** Commands waiting here for Feishu to come back: to try again, or queued while it is unavailable. */
  get waitingForFeishu(): number {
    return this.waiting.size + (this.deps.feishu.state === 'closed' ? 0 : this.queue.waiting);
  }

  /** A queued command's turn has come. */
  private start(queued: JournalEntry, cls: WorkClass): Promise<void> {
    const entry = this.noteOutage(queued);
    const work = workOf(entry);
    const lane = laneAtStart(
      { cls, chat: entry.chatId, person: work.senderKey ?? '' },
      this.deps.admissions.pendingIn(work.chatId),
    );
    return this.settle(entry, (log) =>
      // A card built before Feishu went away is only sent again; its numbers are not asked for twice.
      entry.card ? this.resend(entry, log, lane) : this.run(entry, this.deps.parse(entry.text ?? ''), log, lane),
    ).finally(() => this.deps.admissions.done(work));
  }

  /**
   * A command that waited queued while Feishu was unavailable says so on its
   * answer, as one that tried and failed does. Having sent nothing, it is
   * answered however long the outage lasted.
   */
  private noteOutage(entry: JournalEntry): JournalEntry {
    const outage = this.deps.feishu.lastOutage;
    if (entry.waitingSince !== undefined || !outage || outage.to < entry.acceptedAt) return entry;
    return { ...entry, waitingSince: outage.from };
  }

  /**
   * Counts an accepted command against its sender's rate, then admits it:
   * it queues to run, or its refusal goes out after the webhook's
   * acknowledgement. `resumed` commands were admitted before a restart.
   */
  schedule(entry: JournalEntry, resumed = false): void {
    const work = workOf(entry);
    const command = this.deps.parse(entry.text ?? '');
    const rate: RateKind = EXPLANATIONS.has(command.kind) ? 'explanations' : 'queries';
    const accepted = { entry, work, command, perMinute: perMinute(rate, this.deps.limits) };
    if (resumed || work.senderKey === undefined) return this.admit(accepted, { resumed });
    const rated = this.deps.personRate(work.senderKey, rate).then(
      (personRate) => this.admit(accepted, { personRate }),
      (e: unknown) => {
        // Not counted (shared state out of reach): the command is journaled already, so it runs rather than being lost.
        this.deps.logger.warn({ err: e, message_id: entry.messageId }, 'cannot count the sender’s rate; admitted');
        this.admit(accepted, {});
      },
    );
    this.jobs.track(rated);
  }

  private admit(
    accepted: { entry: JournalEntry; work: Work; command: Command; perMinute: number },
    options: Parameters<Admissions['admit']>[2],
  ): void {
    const { entry, work, command, perMinute } = accepted;
    const alone = this.deps.admissions.pendingIn(work.chatId) === 0;
    const admission = this.deps.admissions.admit(work, this.deps.clock.now(), options);
    if (admission.kind === 'run') {
      const calls = callsOf(command);
      const lane = commandLane({ chatId: entry.chatId, person: work.senderKey ?? '', alone, calls });
      this.queue.push(entry, lane, calls);
      return;
    }
    const refused = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      this.settle(entry, async (log) => {
        log.info({ admission: admission.kind }, 'command refused for load');
        const card = this.refusalCard(admission, perMinute);
        if (card) await this.answer(entry, card, log, ANYONE);
      }),
    );
    this.jobs.track(refused);
  }

  /** Resolves when every command taken so far has been answered (or left in the journal). */
  async idle(): Promise<void> {
    for (;;) {
      await this.queue.idle();
      if (this.jobs.size === 0) return;
      await this.jobs.settled();
    }
  }

  /** Starts nothing more; what runs finishes, what waits stays journaled. */
  stop(): void {
    this.stopped = true;
    this.queue.stop();
  }

  private refusalCard(admission: Exclude<Admission, { kind: 'run' }>, perMinute: number): Card | undefined {
    if (!admission.tell) return undefined;
    switch (admission.kind) {
      case 'busy':
        return buildBusyCard(admission.retryAfterMs);
      case 'chat_busy':
        return buildChatBusyCard(admission.pending, admission.retryAfterMs);
      case 'slow_down':
        return buildSlowDownCard(perMinute, admission.retryAfterMs);
    }
  }

  private async run(entry: JournalEntry, command: Command, log: Logger, lane: Lane): Promise<void> {
    const { chatId, chatType, senderOpenId: openId, senderUserId: userId } = entry;
    const decision = await this.deps.access.check({ chatId, chatType, openId, userId });
    if (!decision.allowed) {
      const error = 'error' in decision ? decision.error : undefined;
      if (error && isTransient(error)) throw waitingFor(error); // not a refusal: the check could not be made
      log.info({ reason: decision.reason }, 'access refused');
      await this.answer(entry, buildAccessDeniedCard(decision.reason, error), log, lane);
      return;
    }
    if (command.kind === 'reads') log = log.child({ batch_id: command.batchIds.join(',') });
    log.info({ command: command.kind }, 'running command');
    await this.deps.handlers.runCommand(command, this.waitingContext(entry, log, lane));
  }

  /** The handler's context, where Feishu being unavailable makes the command wait rather than end. */
  private waitingContext(entry: JournalEntry, log: Logger, lane: Lane): CommandContext {
    const ctx = this.deps.context(entry, log, lane);
    let takenAt: number | undefined;
    return {
      ...ctx,
      snapshot: async (batchId) => {
        try {
          const taken = await ctx.snapshot(batchId);
          takenAt = Math.max(takenAt ?? 0, taken.snapshot.takenAt);
          return taken;
        } catch (e) {
          throw waitingFor(e);
        }
      },
      reply: (card) => this.answer(entry, card, log, lane, takenAt),
    };
  }

  /** Sends the card kept from before Feishu went away; a watch the command reserved starts updating it. */
  private async resend(entry: JournalEntry, log: Logger, lane: Lane): Promise<void> {
    const sent = await this.answer(entry, entry.card as Card, log, lane, entry.takenAt);
    const { watches } = this.deps.context(entry, log, lane);
    const watch = await watches.get(watchIdFor(entry.messageId));
    if (watch?.cardMessageId === '') await watches.attach(watch.id, sent);
  }

  /**
   * Replies with `card`, noting the wait when the command waited for Feishu.
   * If Feishu is unavailable now, the card is kept: only the reply is tried again. The reply takes its turn in `lane`.
   */
  private async answer(entry: JournalEntry, card: Card, log: Logger, lane: Lane, takenAt?: number): Promise<string> {
    const { clock, feishu } = this.deps;
    let sent = card;
    if (entry.waitingSince !== undefined) {
      const now = clock.now();
      const back = feishu.lastOutage?.to;
      const to = back !== undefined && back >= entry.waitingSince ? back : now;
      sent = withLateNote(card, { from: entry.waitingSince, to, takenAt });
    }
    try {
      return await this.deps.reply(entry, sent, log, lane);
    } catch (e) {
      const error = waitingFor(e);
      if (asBotError(error).code === 'waiting_for_feishu') this.kept.set(entry.messageId, { card, takenAt });
      throw error;
    }
  }

  /**
   * Runs `respond`, then forgets the command: answered, or failed for good.
   * Feishu unavailable makes it wait; a shutdown, or shared state out of
   * reach, leaves it journaled.
   */
  private async settle(entry: JournalEntry, respond: (log: Logger) => Promise<unknown>): Promise<void> {
    const { intake, logger } = this.deps;
    const log = logger.child({ event_id: entry.eventId, message_id: entry.messageId, chat_id: entry.chatId });
    let failure: { thrown: unknown; error: BotError } | undefined;
    try {
      await respond(log);
    } catch (thrown) {
      const error = asBotError(thrown);
      if (error.code === 'waiting_for_feishu' && entry.acceptedAt + COMMAND_WAIT.maxAgeMs > this.deps.clock.now())
        return this.waitForFeishu(entry, error, log);
      failure = { thrown, error };
    }
    this.kept.delete(entry.messageId);
    if (failure?.error.code === 'waiting_for_feishu') {
      // Feishu's reply uuid keeps a retry from showing twice only this long.
      log.error({ attempts: entry.attempts }, 'Feishu was unavailable for over an hour; command dropped unanswered');
      this.deps.dropped();
    } else if (failure && isPostponed(failure.error)) {
      log.info({ code: failure.error.code }, 'left in the journal; it is answered later');
      await intake.release(entry.messageId).catch(() => undefined); // unreachable: its lease runs out by itself
      return;
    } else if (failure) {
      // Feishu refused the reply for good, or a bug: nothing more can be done now.
      const { code, feishuCode, logId, message } = failure.error;
      const err = code === 'internal' ? failure.thrown : undefined;
      log.error({ code, feishu_code: feishuCode, log_id: logId, err_msg: message, err }, 'could not answer');
    }
    if (failure) await this.giveBackWatch(entry, log);
    // Unreachable now: it stays journaled and is answered again later; the reply's uuid keeps Feishu from showing it twice.
    await intake
      .complete(entry.messageId)
      .catch((e: unknown) => log.warn({ err: e }, 'could not clear the journal entry'));
  }

  /**
   * A command that ends unanswered gives back the watch place it reserved: its
   * card never went out. (While it waits for Feishu the place is kept for it.)
   */
  private async giveBackWatch(entry: JournalEntry, log: Logger): Promise<void> {
    const { watches } = this.deps.context(entry, log, ANYONE);
    const id = watchIdFor(entry.messageId);
    await watches
      .get(id)
      .then((watch) => (watch?.cardMessageId === '' ? watches.cancel(id) : undefined))
      .catch((e: unknown) => log.warn({ err: e }, 'could not give the watch’s place back; it lapses by itself'));
  }

  /**
   * Feishu is unavailable: the command stays journaled (with its card, if one
   * was built) and runs again after a growing, jittered wait — or as soon as
   * Feishu is back, so an outage costs one wait.
   */
  private async waitForFeishu(entry: JournalEntry, error: BotError, log: Logger): Promise<void> {
    const { clock, feishu, intake } = this.deps;
    const now = clock.now();
    const attempts = (entry.attempts ?? 0) + 1;
    const waitingSince = entry.waitingSince ?? feishu.downSince ?? now;
    const waiting: JournalEntry = { ...entry, ...this.kept.get(entry.messageId), waitingSince, attempts };
    this.kept.delete(entry.messageId);
    this.waiting.add(entry.messageId);
    // Not logged at info: an outage is logged once, by the breaker, not once a command.
    log.debug({ attempts, err_msg: error.message }, 'waiting for Feishu; the command stays journaled');
    await intake.wait(waiting).catch((e: unknown) => log.warn({ err: e }, 'could not note the wait in the journal'));
    void this.tryAgainWhenBack(waiting, error).catch((e: unknown) =>
      log.error({ err: e }, 'could not settle a command that waited for Feishu'),
    );
  }

  /**
   * Queues `entry` again after its growing wait, and only once the breaker is
   * closed (queued while it is open, it would wait paused). Past its hour it
   * is dropped: Feishu's reply uuid keeps a retry from showing twice only that long.
   */
  private async tryAgainWhenBack(entry: JournalEntry, error: BotError): Promise<void> {
    const { clock, feishu } = this.deps;
    const lastTryAt = entry.acceptedAt + COMMAND_WAIT.maxAgeMs;
    await untilFeishuBack(this.deps, error, entry.attempts ?? 1, lastTryAt);
    while (feishu.state !== 'closed' && clock.now() < lastTryAt)
      await Promise.race([feishu.nextClose(), clock.sleep(lastTryAt - clock.now())]);
    this.waiting.delete(entry.messageId);
    if (this.stopped) return;
    if (feishu.state === 'closed') return this.schedule(entry, true); // at the hour, its last try
    await this.settle(entry, async () => {
      throw new BotError('waiting_for_feishu', 'Feishu was unavailable for longer than a command may wait', {
        cause: error,
      });
    });
  }
}

/** Whose command it is, for the queue's limits. */
function workOf(entry: JournalEntry): Work {
  return { chatId: entry.chatId, senderKey: entry.senderOpenId ?? entry.senderUserId };
}

/** The read_user calls a command will make: it takes as many turns in the fair queue. */
function callsOf(command: Command): number {
  return command.kind === 'reads' ? command.batchIds.length : 1;
}
