/**
 * Cards the bot sends a person on its own, one-to-one (message create, not a
 * reply): the menu's answers and the greeting. They go out after the
 * webhook's acknowledgement, tracked so idle and shutdown wait for them;
 * menu presses count against the person's commands a minute, and the access
 * policy applies as to a one-to-one message.
 */
import type { Logger } from 'pino';
import type { AccessControl } from '../access/policy.js';
import type { Card } from '../cards/card.js';
import { buildAccessDeniedCard } from '../cards/refusalCards.js';
import type { Person } from '../events/personEvents.js';
import type { TellOptions } from '../events/router.js';
import type { Outbound } from '../feishu/outbound.js';
import type { RateDecision } from '../throttle/keyedRateLimit.js';
import type { Jobs } from './jobs.js';

export interface TellDeps {
  outbound: Outbound;
  access: AccessControl;
  jobs: Jobs;
  personRate(senderKey: string): Promise<RateDecision>;
}

export function tellPerson(deps: TellDeps) {
  return (person: Person, card: Card, uuid: string, o: TellOptions, log: Logger): void => {
    const send = async () => {
      if (o.asCommand && !(await deps.personRate(person.openId)).allowed) {
        log.info('too many commands from this person; menu press not answered');
        return;
      }
      const decision = await deps.access.check({ chatId: '', chatType: 'p2p', ...person });
      if (!decision.allowed && o.whenRefused === 'skip') {
        log.info({ reason: decision.reason }, 'access refused; not sent');
        await o.unsent?.(); // allowed later, they are greeted on their next visit
        return;
      }
      const answer = decision.allowed
        ? card
        : buildAccessDeniedCard(decision.reason, 'error' in decision ? decision.error : undefined);
      await deps.outbound.send({ openId: person.openId }, answer, uuid, log);
      log.info({ allowed: decision.allowed }, 'sent one-to-one');
    };
    deps.jobs.track(
      send().catch(async (e: unknown) => {
        log.error({ err: e }, 'could not send the card one-to-one');
        await o.unsent?.().catch((u: unknown) => log.warn({ err: u }, 'could not undo after a card that was not sent'));
      }),
    );
  };
}
