/**
 * A press whose answer is a new card: in the callback when it is ready
 * within Feishu's 3 s, otherwise a toast now and the card as an update of
 * the pressed message once it is ready. A query that failed is not answered
 * with a success: its toast warns, and its error card says when it was tried.
 */
import type { Card } from '../cards/card.js';
import { answer, type ActionAnswer, type ToastName } from '../cards/toasts.js';
import type { ActionContext } from './handlerContext.js';
import { asBotError } from '../domain/errors.js';

export async function cardInTime(
  ctx: ActionContext,
  work: Promise<{ card: Card; failed: number }>,
  toasts: { done: ToastName; failed: ToastName; later: ToastName },
  /** Rebuilds a late card when its update goes out (a watched card, so it never shows older state). */
  rebuild?: (card: Card) => Promise<Card>,
): Promise<ActionAnswer> {
  const outcome = await ctx.inTime(
    work.then(
      (answered) => ({ answered }),
      (e: unknown) => ({ error: asBotError(e) }),
    ),
  );
  if (outcome && 'answered' in outcome) {
    const { card, failed } = outcome.answered;
    return answer(failed > 0 ? toasts.failed : toasts.done, card);
  }
  if (outcome) {
    // Only a shutdown or an unreachable shared state gets here (failures become error cards).
    ctx.log.info({ code: outcome.error.code }, 'press not answered');
    if (outcome.error.code === 'unavailable') throw outcome.error;
    return answer('restarting');
  }
  ctx.updateLater(
    work.then((answered) => answered.card),
    rebuild,
  );
  return answer(toasts.later);
}
