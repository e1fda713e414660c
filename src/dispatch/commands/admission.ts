/**
 * A command, the moment it is accepted: counted against its sender's rate
 * (queries, or the looser one for explanations), then admitted against the
 * queue's caps — queued in its lane, costing its calls, or refused with a
 * card that says when to try again.
 */
import type { Logger } from 'pino';
import type { Card } from '../../cards/card.js';
import { buildBusyCard, buildChatBusyCard, buildSlowDownCard } from '../../cards/refusalCards.js';
import type { Command } from '../../domain/command.js';
import type { PersonRate } from '../../domain/limits.js';
import type { JournalEntry } from '../../domain/types.js';
import type { Admission, Admissions, Work } from '../../scheduling/admissions.js';
import { commandLane, type Lane } from '../../scheduling/lanes.js';
import type { Guards } from '../guards.js';

/** Answers that ask Feishu nothing but the reply itself: they count against the looser rate. */
const EXPLANATIONS = new Set<Command['kind']>([
  'help',
  'invalid_id',
  'invalid_watch',
  'too_many_ids',
  'too_long',
  'did_you_mean',
]);

export interface AdmissionDeps {
  admissions: Admissions;
  guards: Guards;
  /** What the message's text asks for. */
  parse(text: string): Command;
  now(): number;
  logger: Logger;
  /** Queues an admitted command in its lane, costing its calls. */
  queue(entry: JournalEntry, lane: Lane, calls: number): void;
  /** Answers a refused command with `card`, or only forgets it when the chat or person was told moments ago. */
  refuse(entry: JournalEntry, admission: Admission['kind'], card: Card | undefined): Promise<void>;
}

/** Whose command it is, for the queue's caps. */
export function workOf(entry: JournalEntry): Work {
  return { chatId: entry.chatId, senderKey: entry.senderOpenId ?? entry.senderUserId };
}

/** The read_user calls a command will make: it takes as many turns in the fair queue. */
function callsOf(command: Command): number {
  return command.kind === 'reads' ? command.batchIds.length : 1;
}

function refusalCard(admission: Exclude<Admission, { kind: 'run' }>, perMinute: number): Card | undefined {
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

/**
 * Resolves once the command is queued, or refused after the webhook's
 * acknowledgement. `resumed` commands were admitted before a restart: they
 * run, whatever the load.
 */
export async function admitCommand(deps: AdmissionDeps, entry: JournalEntry, resumed: boolean): Promise<void> {
  const { admissions, guards } = deps;
  const work = workOf(entry);
  const command = deps.parse(entry.text ?? '');
  const kind: PersonRate = EXPLANATIONS.has(command.kind) ? 'explanations' : 'queries';
  const rate =
    resumed || work.senderKey === undefined
      ? undefined
      : await guards.rate(kind, work.senderKey).catch((e: unknown) => {
          // Not counted (shared state out of reach): the command is journaled already, so it runs rather than being lost.
          deps.logger.warn({ err: e, message_id: entry.messageId }, 'cannot count the sender’s rate; admitted');
          return undefined;
        });
  const alone = admissions.pendingIn(work.chatId) === 0;
  const admission = admissions.admit(work, deps.now(), { resumed, personRate: rate });
  if (admission.kind === 'run') {
    const calls = callsOf(command);
    deps.queue(entry, commandLane({ chatId: entry.chatId, person: work.senderKey ?? '', alone, calls }), calls);
    return;
  }
  await new Promise<void>((resolve) => setImmediate(resolve)); // the webhook answers first
  await deps.refuse(entry, admission.kind, refusalCard(admission, rate?.perMinute ?? 0));
}
