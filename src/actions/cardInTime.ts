/**
 * A press whose answer is a new card: in the callback when it is ready
 * within Feishu's 3 s, otherwise a toast now and the card as an update of
 * the pressed message once it is ready.
 */
import type { Card } from '../cards/card.js';
import { answer, type ActionAnswer, type ToastName } from '../cards/toasts.js';
import type { ActionContext } from '../dispatch/context.js';
import { asBotError } from '../domain/errors.js';

export async function cardInTime(
  ctx: ActionContext,
  work: Promise<Card>,
  toasts: { done: ToastName; later: ToastName },
): Promise<ActionAnswer> {
  const outcome = await ctx.inTime(
    work.then(
      (card) => ({ card }),
      (e: unknown) => ({ error: asBotError(e) }),
    ),
  );
  if (outcome && 'card' in outcome) return answer(toasts.done, outcome.card);
  if (outcome) {
    // Only a shutdown or an unreachable shared state gets here (failures become error cards).
    ctx.log.info({ code: outcome.error.code }, 'press not answered');
    if (outcome.error.code === 'unavailable') throw outcome.error;
    return answer('restarting');
  }
  ctx.updateLater(work);
  return answer(toasts.later);
}
