/**
 * Every accepted command's way to its answer, in order: admitted (or refused
 * for load) the moment it is accepted (admission.ts), queued as a record,
 * started in its turn, checked against the access policy, parsed, handed to
 * its registered handler, and settled (settle.ts). When Feishu is
 * unavailable nothing ends: the command waits and goes again, and its late
 * answer says so (feishuWaits.ts). No command starts while the breaker is open.
 */
import type { Logger } from 'pino';
import type { Card } from '../../cards/card.js';
import { buildAccessDeniedCard } from '../../cards/refusalCards.js';
import type { Clock } from '../../domain/clock.js';
import type { Command } from '../../domain/command.js';
import { asBotError, BotError } from '../../domain/errors.js';
import { watchIdFor } from '../../domain/ids.js';
import type { JournalEntry, WorkClass } from '../../domain/types.js';
import type { FeishuHealth } from '../../feishu/breaker.js';
import type { Admissions } from '../../scheduling/admissions.js';
import { CommandQueue } from '../../scheduling/commandQueue.js';
import { ANYONE, laneAtStart, type Lane } from '../../scheduling/lanes.js';
import type { Intake } from '../../state/sharedState.js';
import type { Guards } from '../guards.js';
import type { CommandContext, WatchControl } from '../handlerContext.js';
import { Jobs } from '../jobs.js';
import type { Handlers } from '../registry.js';
import { admitCommand, workOf, type AdmissionDeps } from './admission.js';
import { FeishuWaits, waitingFor } from './feishuWaits.js';
import { settle, type SettleDeps } from './settle.js';

export interface CommandPipelineDeps {
  admissions: Admissions;
  guards: Guards;
  intake: Intake;
  handlers: Handlers;
  /** What the message's text asks for. */
  parse(text: string): Command;
  /** Replies to the command's message, taking its turn in `lane`; resolves to the new message's id. */
  reply(entry: JournalEntry, card: Card, log: Logger, lane: Lane): Promise<string>;
  /** The context the command's handler acts through; its calls take their turns in `lane`. */
  context(entry: JournalEntry, log: Logger, lane: Lane): CommandContext;
  watches: WatchControl;
  clock: Clock;
  logger: Logger;
  /** Commands running at once; the rest wait their turn as records. */
  running: number;
  /** Whether Feishu is up (the circuit breaker), for commands waiting for it. */
  feishu: FeishuHealth;
  /** A command dropped after waiting COMMAND_WAIT.maxAgeMs for Feishu. */
  dropped(): void;
  random?: () => number;
}

export class CommandPipeline {
  /**
   * Only the journal entry waits: what it asks for is parsed again when it
   * starts. Thousands can wait, and every byte each keeps is marked and
   * copied again by each garbage collection while they wait.
   */
  private readonly queue: CommandQueue<JournalEntry>;
  private readonly jobs = new Jobs();
  private readonly waits: FeishuWaits;
  private readonly settling: SettleDeps;
  /** Made once: every accepted command is admitted through it. */
  private readonly admission: AdmissionDeps;

  constructor(private readonly deps: CommandPipelineDeps) {
    this.queue = new CommandQueue(deps.running, (entry, cls) => this.start(entry, cls));
    // While Feishu is unavailable no command starts: each would only fail and wait again.
    deps.feishu.onChange((state) => (state === 'closed' ? this.queue.resume() : this.queue.pause()));
    this.waits = new FeishuWaits({
      ...deps,
      again: (entry) => this.schedule(entry, true),
      giveUp: (entry, error) =>
        settle(this.settling, entry, async () => {
          throw new BotError('waiting_for_feishu', 'Feishu was unavailable for longer than a command may wait', {
            cause: error,
          });
        }),
    });
    this.settling = { ...deps, waits: this.waits };
    this.admission = {
      ...deps,
      now: () => deps.clock.now(),
      queue: (e, lane, calls) => this.queue.push(e, lane, calls),
      refuse: (e, kind, card) =>
        settle(this.settling, e, async (log) => {
          log.info({ admission: kind }, 'command refused for load');
          if (card) await this.answer(e, card, log, ANYONE);
        }),
    };
  }

  /** Commands waiting here for Feishu to come back: to try again, or queued while it is unavailable. */
  get waitingForFeishu(): number {
    return this.waits.count + (this.deps.feishu.state === 'closed' ? 0 : this.queue.waiting);
  }

  /** Admits an accepted command; `resumed` commands were admitted before a restart. */
  schedule(entry: JournalEntry, resumed = false): void {
    this.jobs.track(admitCommand(this.admission, entry, resumed));
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
    this.waits.stop();
    this.queue.stop();
  }

  /** A queued command's turn has come. */
  private start(queued: JournalEntry, cls: WorkClass): Promise<void> {
    const entry = this.waits.noteOutage(queued);
    const work = workOf(entry);
    const lane = laneAtStart(
      { cls, chat: entry.chatId, person: work.senderKey ?? '' },
      this.deps.admissions.pendingIn(work.chatId),
    );
    return settle(this.settling, entry, (log) =>
      // A card built before Feishu went away is only sent again; its numbers are not asked for twice.
      entry.card ? this.resend(entry, log, lane) : this.run(entry, this.deps.parse(entry.text ?? ''), log, lane),
    ).finally(() => this.deps.admissions.done(work));
  }

  private async run(entry: JournalEntry, command: Command, log: Logger, lane: Lane): Promise<void> {
    const { chatId, chatType, senderOpenId: openId, senderUserId: userId } = entry;
    const verdict = await this.deps.guards.access({ chatId, chatType, openId, userId });
    if (verdict.kind === 'unreachable') throw waitingFor(verdict.error);
    if (verdict.kind === 'refused') {
      log.info({ reason: verdict.reason }, 'access refused');
      await this.answer(entry, buildAccessDeniedCard(verdict.reason, verdict.error), log, lane);
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
    const { watches } = this.deps;
    const watch = await watches.get(watchIdFor(entry.messageId));
    if (watch?.cardMessageId === '') await watches.attach(watch.id, sent);
  }

  /**
   * Replies with `card` (noting the wait when the command waited for Feishu),
   * taking its turn in `lane`. If Feishu is unavailable now, the card is
   * kept: only the reply is tried again.
   */
  private async answer(entry: JournalEntry, card: Card, log: Logger, lane: Lane, takenAt?: number): Promise<string> {
    try {
      return await this.deps.reply(entry, this.waits.late(entry, card, takenAt), log, lane);
    } catch (e) {
      const error = waitingFor(e);
      if (asBotError(error).code === 'waiting_for_feishu') this.waits.keep(entry, card, takenAt);
      throw error;
    }
  }
}
