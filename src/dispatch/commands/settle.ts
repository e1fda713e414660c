/**
 * The end of a command's run. Answered, or failed for good (logged, and a
 * watch place it reserved given back), it is forgotten. Feishu unavailable
 * makes it wait; a shutdown, or shared state out of reach, leaves it
 * journaled for later.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.js';
import { asBotError, isPostponed, type BotError } from '../../domain/errors.js';
import { watchIdFor } from '../../domain/ids.js';
import type { JournalEntry } from '../../domain/types.js';
import type { Intake } from '../../state/sharedState.js';
import type { WatchControl } from '../handlerContext.js';
import { mayStillWait, type FeishuWaits } from './feishuWaits.js';

export interface SettleDeps {
  intake: Intake;
  logger: Logger;
  clock: Clock;
  waits: FeishuWaits;
  watches: WatchControl;
  /** A command dropped after waiting COMMAND_WAIT.maxAgeMs for Feishu. */
  dropped(): void;
}

/** Runs `respond`, then settles the command as its outcome says. */
export async function settle(
  deps: SettleDeps,
  entry: JournalEntry,
  respond: (log: Logger) => Promise<unknown>,
): Promise<void> {
  const log = deps.logger.child({ event_id: entry.eventId, message_id: entry.messageId, chat_id: entry.chatId });
  let failure: { thrown: unknown; error: BotError } | undefined;
  try {
    await respond(log);
  } catch (thrown) {
    const error = asBotError(thrown);
    if (error.code === 'waiting_for_feishu' && mayStillWait(entry, deps.clock.now()))
      return deps.waits.wait(entry, error, log);
    failure = { thrown, error };
  }
  deps.waits.forget(entry);
  // Still waiting for Feishu here means its hour is over (within it, it waited above): it is dropped, not left.
  const hourOver = failure?.error.code === 'waiting_for_feishu';
  if (failure && !hourOver && isPostponed(failure.error)) {
    log.info({ code: failure.error.code }, 'left in the journal; it is answered later');
    await deps.intake.release(entry.messageId).catch(() => undefined); // unreachable: its lease runs out by itself
    return;
  }
  if (failure) {
    logFailure(deps, entry, failure, log);
    await giveBackWatch(deps.watches, entry, log);
  }
  // Unreachable now: it stays journaled and is answered again later; the reply's uuid keeps Feishu from showing it twice.
  await deps.intake
    .complete(entry.messageId)
    .catch((e: unknown) => log.warn({ err: e }, 'could not clear the journal entry'));
}

function logFailure(deps: SettleDeps, entry: JournalEntry, failure: { thrown: unknown; error: BotError }, log: Logger) {
  if (failure.error.code === 'waiting_for_feishu') {
    log.error({ attempts: entry.attempts }, 'Feishu was unavailable for over an hour; command dropped unanswered');
    deps.dropped();
    return;
  }
  // Feishu refused the reply for good, or a bug: nothing more can be done now.
  const { code, feishuCode, logId, message } = failure.error;
  const err = code === 'internal' ? failure.thrown : undefined;
  log.error({ code, feishu_code: feishuCode, log_id: logId, err_msg: message, err }, 'could not answer');
}

/**
 * A command that ends unanswered gives back the watch place it reserved: its
 * card never went out. (While it waits for Feishu the place is kept for it.)
 */
async function giveBackWatch(watches: WatchControl, entry: JournalEntry, log: Logger): Promise<void> {
  const id = watchIdFor(entry.messageId);
  await watches
    .get(id)
    .then((watch) => (watch?.cardMessageId === '' ? watches.cancel(id) : undefined))
    .catch((e: unknown) => log.warn({ err: e }, 'could not give the watch’s place back; it lapses by itself'));
}
