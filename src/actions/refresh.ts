/**
 * Refresh: fresh numbers on the pressed card. They come back in the callback
 * when ready within Feishu's 3 s; otherwise the press answers "refreshing…"
 * and the card is updated once they arrive. Presses on one card while its
 * refresh runs share that refresh. A query that fails again says so in a
 * warning, and its card shows when it was tried.
 */
import { answer } from '../cards/toasts.js';
import { answerReads, type ReadsAnswer } from '../commands/readsAnswer.js';
import type { ActionHandler } from '../dispatch/context.js';
import { asBotError } from '../domain/errors.js';

export function refresh(): ActionHandler<'refresh'> {
  const running = new Map<string, Promise<ReadsAnswer>>();

  return async ({ ids, w, at }, ctx) => {
    const { messageId, operatorOpenId } = ctx.press;
    let work = running.get(messageId);
    if (!work) {
      const extras = {
        refreshedBy: operatorOpenId,
        since: at,
        watch: async () => (w ? ctx.watches.get(w) : undefined),
      };
      const started = answerReads(ids, ctx, extras);
      running.set(messageId, started);
      const forget = () => running.delete(messageId);
      started.then(forget, forget);
      work = started;
    }
    const outcome = await ctx.inTime(
      work.then(
        (answered) => ({ answered }),
        (e: unknown) => ({ error: asBotError(e) }),
      ),
    );
    if (outcome && 'answered' in outcome) {
      const { card, failed } = outcome.answered;
      ctx.log.info({ failed }, 'refreshed in the callback');
      return answer(failed > 0 ? 'stillFailing' : 'refreshed', card);
    }
    if (outcome) {
      // Only a shutdown or an unreachable shared state gets here (failures become error cards): leave the card as it is.
      ctx.log.info({ code: outcome.error.code }, 'refresh not done');
      if (outcome.error.code === 'unavailable') throw outcome.error;
      return answer('restarting');
    }
    // A watched card is rebuilt from the store when its update goes out, so it never shows older state.
    ctx.updateLater(
      work.then((answered) => answered.card),
      async (card) => (w ? ((await ctx.watches.cardNow(w, operatorOpenId)) ?? card) : card),
    );
    return answer('refreshing');
  };
}
