/**
 * Cards the bot sends a person on its own, one-to-one (message create, not a
 * reply): the menu's answers and the greeting. They go out after the
 * webhook's acknowledgement, tracked so idle and shutdown wait for them;
 * menu presses count against the person's commands a minute, and the access
 * policy applies as to a one-to-one message. When Feishu is unavailable the
 * card waits for it as a command does (the same wait, woken when Feishu is
 * back) for up to the hour its uuid de-duplicates; unlike a command it is
 * not journaled, so a stop or a crash while it waits loses it.
 */
import type { Logger } from 'pino';
import type { Card } from '../cards/card.js';
import { stampBirth } from '../cards/cardAge.js';
import { buildAccessDeniedCard } from '../cards/refusalCards.js';
import { asBotError, BotError } from '../domain/errors.js';
import type { Person } from '../inbound/events/personEvents.js';
import type { TellOptions } from '../inbound/events/router.js';
import { untilFeishuBack, type FeishuWait } from '../feishu/feishuBack.js';
import type { Outbound } from '../feishu/outbound.js';
import { COMMAND_WAIT, isTransient } from '../feishu/retry.js';
import type { Guards } from './guards.js';
import type { Jobs } from './jobs.js';

export interface TellDeps extends FeishuWait {
  outbound: Outbound;
  guards: Guards;
  jobs: Jobs;
  /** Aborted when the bot stops: cards still waiting for Feishu are given up. */
  stopping: AbortSignal;
}

export function tellPerson(deps: TellDeps) {
  const { clock, stopping } = deps;
  const stopped = new Promise<void>((resolve) => stopping.addEventListener('abort', () => resolve(), { once: true }));

  /** One try: the access check, then the card. Feishu unavailable (for the check too) is thrown, to wait. */
  const trySend = async (person: Person, card: Card, uuid: string, o: TellOptions, log: Logger) => {
    const verdict = await deps.guards.access({ chatId: '', chatType: 'p2p', ...person });
    if (verdict.kind === 'unreachable') throw verdict.error;
    if (verdict.kind === 'refused' && o.whenRefused === 'skip') {
      log.info({ reason: verdict.reason }, 'access refused; not sent');
      await o.unsent?.(); // allowed later, they are greeted on their next visit
      return;
    }
    const answer = verdict.kind === 'allowed' ? card : buildAccessDeniedCard(verdict.reason, verdict.error);
    // Its buttons say when it was sent, as a reply's do (cards/cardAge.ts).
    await deps.outbound.send({ openId: person.openId }, stampBirth(answer, clock.now()), uuid, log);
    log.info({ allowed: verdict.kind === 'allowed' }, 'sent one-to-one');
  };

  /** Tries until sent, Feishu refuses for good, the hour is up, or the bot stops. */
  const sendWaiting = async (person: Person, card: Card, uuid: string, o: TellOptions, log: Logger) => {
    const lastTryAt = clock.now() + COMMAND_WAIT.maxAgeMs;
    for (let attempts = 1; ; attempts++) {
      try {
        return await trySend(person, card, uuid, o, log);
      } catch (e) {
        const error = asBotError(e);
        if (!isTransient(error) || clock.now() >= lastTryAt) throw e;
        log.debug({ attempts, err_msg: error.message }, 'waiting for Feishu to send the card one-to-one');
        await Promise.race([untilFeishuBack(deps, error, attempts, lastTryAt), stopped]);
        if (stopping.aborted)
          throw new BotError('cancelled', 'stopping while the card waited for Feishu', { cause: e });
      }
    }
  };

  return (person: Person, card: Card, uuid: string, o: TellOptions, log: Logger): void => {
    const send = async () => {
      if (o.asCommand && !(await deps.guards.rate('queries', person.openId)).allowed) {
        log.info('too many commands from this person; menu press not answered');
        return;
      }
      await sendWaiting(person, card, uuid, o, log);
    };
    deps.jobs.track(
      send().catch(async (e: unknown) => {
        log.error({ err: e }, 'could not send the card one-to-one');
        await o.unsent?.().catch((u: unknown) => log.warn({ err: u }, 'could not undo after a card that was not sent'));
      }),
    );
  };
}
