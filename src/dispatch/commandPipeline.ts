/**
 * Every accepted command's way to its answer: admitted (or refused for load)
 * the moment it is accepted, queued as a record, checked against the access
 * policy, parsed, handed to its registered handler, and then settled —
 * forgotten once answered, or left in the journal when it has to wait.
 */
import type { Logger } from 'pino';
import type { AccessControl } from '../access/policy.js';
import type { Card } from '../cards/card.js';
import { buildAccessDeniedCard, buildBusyCard, buildChatBusyCard, buildSlowDownCard } from '../cards/refusalCards.js';
import type { Clock } from '../domain/clock.js';
import type { Command } from '../domain/command.js';
import { asBotError, isPostponed } from '../domain/errors.js';
import type { JournalEntry } from '../domain/types.js';
import type { Admission, Admissions, QueueLimits, Work } from '../queue/admissions.js';
import type { RateDecision } from '../throttle/keyedRateLimit.js';
import { WorkQueue } from '../queue/workQueue.js';
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
  /** Replies to the command's message; resolves to the new message's id. */
  reply(entry: JournalEntry, card: Card, log: Logger): Promise<string>;
  /** The context the command's handler acts through. */
  context(entry: JournalEntry, log: Logger): CommandContext;
  clock: Clock;
  logger: Logger;
  /** Commands running at once; the rest wait their turn as records. */
  running: number;
  /** Counts a command against its sender's rate of its kind, where replicas share it. */
  personRate(senderKey: string, kind: RateKind): Promise<RateDecision>;
}

export class CommandPipeline {
  private readonly queue: WorkQueue<{ entry: JournalEntry; work: Work; command: Command }>;
  private readonly jobs = new Jobs();

  constructor(private readonly deps: CommandPipelineDeps) {
    this.queue = new WorkQueue(deps.running, ({ entry, work, command }) =>
      this.settle(entry, (log) => this.run(entry, command, log)).finally(() => deps.admissions.done(work)),
    );
  }

  /**
   * Counts an accepted command against its sender's rate, then admits it:
   * it queues to run, or its refusal goes out after the webhook's
   * acknowledgement. `resumed` commands were admitted before a restart.
   */
  schedule(entry: JournalEntry, resumed = false): void {
    const work = { chatId: entry.chatId, senderKey: entry.senderOpenId ?? entry.senderUserId };
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
    const admission = this.deps.admissions.admit(work, this.deps.clock.now(), options);
    if (admission.kind === 'run') {
      this.queue.push({ entry, work, command });
      return;
    }
    const refused = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      this.settle(entry, async (log) => {
        log.info({ admission: admission.kind }, 'command refused for load');
        const card = this.refusalCard(admission, perMinute);
        if (card) await this.deps.reply(entry, card, log);
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

  private async run(entry: JournalEntry, command: Command, log: Logger): Promise<void> {
    const { chatId, chatType, senderOpenId: openId, senderUserId: userId } = entry;
    const decision = await this.deps.access.check({ chatId, chatType, openId, userId });
    if (!decision.allowed) {
      log.info({ reason: decision.reason }, 'access refused');
      const error = 'error' in decision ? decision.error : undefined;
      await this.deps.reply(entry, buildAccessDeniedCard(decision.reason, error), log);
      return;
    }
    if (command.kind === 'reads') log = log.child({ batch_id: command.batchIds.join(',') });
    log.info({ command: command.kind }, 'running command');
    await this.deps.handlers.runCommand(command, this.deps.context(entry, log));
  }

  /**
   * Runs `respond`, then forgets the command: answered, or failed for good.
   * A shutdown, or shared state out of reach, leaves it journaled.
   */
  private async settle(entry: JournalEntry, respond: (log: Logger) => Promise<void>): Promise<void> {
    const { intake, logger } = this.deps;
    const log = logger.child({ event_id: entry.eventId, message_id: entry.messageId, chat_id: entry.chatId });
    try {
      await respond(log);
    } catch (e) {
      const error = asBotError(e);
      if (isPostponed(error)) {
        log.info({ code: error.code }, 'left in the journal; it is answered later');
        await intake.release(entry.messageId).catch(() => undefined); // unreachable: its lease runs out by itself
        return;
      }
      // Retries ran out, Feishu refused the reply for good, or a bug: nothing more can be done now.
      const { code, feishuCode, logId, message } = error;
      log.error(
        { code, feishu_code: feishuCode, log_id: logId, err_msg: message, err: code === 'internal' ? e : undefined },
        'could not answer',
      );
    }
    // Unreachable now: it stays journaled and is answered again later; the reply's uuid keeps Feishu from showing it twice.
    await intake
      .complete(entry.messageId)
      .catch((e: unknown) => log.warn({ err: e }, 'could not clear the journal entry'));
  }
}
