/**
 * A button press, answered within Feishu's 3 s: through a chain of guards —
 * not seen before, the bot taking events, the presser's rate, the access
 * policy within the time left — to the action's registered handler.
 */
import type { Logger } from 'pino';
import { answer, type ActionAnswer } from '../cards/toasts.js';
import type { Clock } from '../domain/clock.js';
import { asBotError } from '../domain/errors.js';
import { readCardAction, type CardPress } from '../inbound/events/cardAction.js';
import type { Metrics } from '../domain/metrics.js';
import type { Guards } from './guards.js';
import type { ActionContext } from './handlerContext.js';
import type { Handlers } from './registry.js';
import type { RoutedEvent } from '../inbound/eventInbox.js';

/** How long a press may wait for its answer before "refreshing…" (Feishu allows 3 s). */
export const CALLBACK_BUDGET_MS = 2_500;

export interface CardActionDeps {
  handlers: Handlers;
  /** The presser's rate and the access policy. */
  guards: Guards;
  /** Records the press's event as seen; false for a redelivery. */
  accept(keys: string[]): Promise<boolean>;
  /** False while starting, shutting down or cut off from the shared state. */
  accepting(): boolean;
  /** The rest of the context a press's handler acts through. */
  context(press: CardPress, log: Logger, inTime: ActionContext['inTime']): ActionContext;
  /** The handler's answer as Feishu gets it (a card too old to update is sent afresh instead). */
  present(press: CardPress, reply: ActionAnswer, log: Logger, inTime: ActionContext['inTime']): Promise<ActionAnswer>;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  callbackBudgetMs?: number;
}

export function createCardActions(deps: CardActionDeps): (event: RoutedEvent) => Promise<ActionAnswer> {
  const { clock, logger } = deps;

  async function guarded(event: RoutedEvent): Promise<ActionAnswer> {
    const deadline = clock.sleep(deps.callbackBudgetMs ?? CALLBACK_BUDGET_MS).then(() => undefined);
    const inTime = <T>(work: Promise<T>) => Promise.race([work, deadline]);
    const press = readCardAction(event.event);
    if (!press) return answer('unknownAction');
    if (!(await deps.accept([`event:${event.eventId}`]))) return {};
    const { messageId, operatorOpenId, chatId } = press;
    const log = logger.child({
      event_id: event.eventId,
      message_id: messageId,
      operator: operatorOpenId,
      action: press.action.a,
    });
    if (!deps.accepting()) return answer('restarting');
    if (!(await deps.guards.rate('presses', operatorOpenId)).allowed) return answer('tooManyPresses');
    const verdict = await inTime(deps.guards.access({ chatId, chatType: 'unknown', openId: operatorOpenId }));
    if (!verdict) return answer('busy');
    if (verdict.kind !== 'allowed') {
      log.info({ reason: verdict.kind === 'refused' ? verdict.reason : 'check_failed' }, 'access refused');
      return answer('notAllowed');
    }
    const reply = await deps.handlers.runAction(press.action, deps.context(press, log, inTime));
    return deps.present(press, reply, log, inTime);
  }

  return async (event) => {
    const reply = await guarded(event).catch((e: unknown) => {
      const error = asBotError(e);
      if (error.code !== 'unavailable') throw e;
      logger.warn(
        { event_id: event.eventId, err_msg: error.message },
        'button press not handled: shared state out of reach',
      );
      return answer('unavailable');
    });
    if (reply.card) deps.metrics.cardSent('callback');
    return reply;
  };
}
