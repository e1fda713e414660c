/**
 * Commands that found Feishu unavailable. Nothing ends them: each stays
 * journaled (with its card, if one was built) and goes again after a
 * growing, jittered wait, and only once the circuit breaker is closed, so an
 * outage costs one wait. Its answer says it came late. Past its hour it is
 * dropped: Feishu's reply uuid keeps a retry from showing twice only that long.
 */
import type { Logger } from 'pino';
import type { Card } from '../../cards/card.js';
import { withLateNote } from '../../cards/lateNote.js';
import { asBotError, BotError } from '../../domain/errors.js';
import type { JournalEntry } from '../../domain/types.js';
import { untilFeishuBack, type FeishuWait } from '../../feishu/feishuBack.js';
import { COMMAND_WAIT, isTransient } from '../../feishu/retry.js';
import type { Intake } from '../../state/sharedState.js';

/** A transient Feishu failure as the wait it means for a command; anything else (a bug too) as it is. */
export function waitingFor(e: unknown): unknown {
  const error = asBotError(e);
  if (!isTransient(error)) return e;
  return new BotError('waiting_for_feishu', error.message, { cause: error, retryAfterMs: error.retryAfterMs });
}

/** Whether a command that must wait for Feishu may still: within the hour after it arrived. */
export const mayStillWait = (entry: JournalEntry, now: number): boolean =>
  entry.acceptedAt + COMMAND_WAIT.maxAgeMs > now;

export interface FeishuWaitsDeps extends FeishuWait {
  intake: Intake;
  /** Queues the command again: Feishu is back. */
  again(entry: JournalEntry): void;
  /** Gives the command up: its hour is over and Feishu is still unavailable. */
  giveUp(entry: JournalEntry, error: BotError): Promise<void>;
}

export class FeishuWaits {
  /** Commands waiting here to try again. */
  private readonly waiting = new Set<string>();
  /** Answers built whose reply found Feishu unavailable, until their wait is journaled. */
  private readonly kept = new Map<string, Pick<JournalEntry, 'card' | 'takenAt'>>();
  private stopped = false;

  constructor(private readonly deps: FeishuWaitsDeps) {}

  /** Commands waiting to try again. */
  get count(): number {
    return this.waiting.size;
  }

  /**
   * A command that waited queued while Feishu was unavailable says so on its
   * answer, as one that tried and failed does. Having sent nothing, it is
   * answered however long the outage lasted.
   */
  noteOutage(entry: JournalEntry): JournalEntry {
    const outage = this.deps.feishu.lastOutage;
    if (entry.waitingSince !== undefined || !outage || outage.to < entry.acceptedAt) return entry;
    return { ...entry, waitingSince: outage.from };
  }

  /** `card` as it goes out: with the late note when the command waited for Feishu. */
  late(entry: JournalEntry, card: Card, takenAt?: number): Card {
    if (entry.waitingSince === undefined) return card;
    const back = this.deps.feishu.lastOutage?.to;
    const to = back !== undefined && back >= entry.waitingSince ? back : this.deps.clock.now();
    return withLateNote(card, { from: entry.waitingSince, to, takenAt });
  }

  /** Keeps a built card whose reply found Feishu unavailable: then only the reply is tried again. */
  keep(entry: JournalEntry, card: Card, takenAt?: number): void {
    this.kept.set(entry.messageId, { card, takenAt });
  }

  /** The command ended: what was kept for it goes. */
  forget(entry: JournalEntry): void {
    this.kept.delete(entry.messageId);
  }

  /** Journals the wait, then queues the command again once Feishu is back (or gives it up at its hour). */
  async wait(entry: JournalEntry, error: BotError, log: Logger): Promise<void> {
    const { clock, feishu, intake } = this.deps;
    const attempts = (entry.attempts ?? 0) + 1;
    const waitingSince = entry.waitingSince ?? feishu.downSince ?? clock.now();
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

  /** Nothing waiting is queued again: it stays journaled for the next start. */
  stop(): void {
    this.stopped = true;
  }

  /** After the growing wait, and while the breaker stays open, until it closes or the hour is over. */
  private async tryAgainWhenBack(entry: JournalEntry, error: BotError): Promise<void> {
    const { clock, feishu } = this.deps;
    const lastTryAt = entry.acceptedAt + COMMAND_WAIT.maxAgeMs;
    await untilFeishuBack(this.deps, error, entry.attempts ?? 1, lastTryAt);
    while (feishu.state !== 'closed' && clock.now() < lastTryAt)
      await Promise.race([feishu.nextClose(), clock.sleep(lastTryAt - clock.now())]);
    this.waiting.delete(entry.messageId);
    if (this.stopped) return;
    if (feishu.state === 'closed') return this.deps.again(entry); // at the hour, its last try
    await this.deps.giveUp(entry, error);
  }
}
