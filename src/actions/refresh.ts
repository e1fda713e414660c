/**
 * Refresh: fresh numbers on the pressed card. They come back in the callback
 * when ready within Feishu's 3 s; otherwise the press answers "refreshing…"
 * and the card is updated once they arrive. Presses on one card while its
 * refresh runs share that refresh.
 */
import type { Card } from '../cards/card.js';
import { answer } from '../cards/toasts.js';
import { buildReadsAnswer } from '../commands/readsAnswer.js';
import type { ActionHandler } from '../dispatch/context.js';
import { asBotError } from '../domain/errors.js';

export function refresh(): ActionHandler<'refresh'> {
  const running = new Map<string, Promise<Card>>();

  return async ({ ids, w }, ctx) => {
    const { messageId, operatorOpenId } = ctx.press;
    let work = running.get(messageId);
    if (!work) {
      const extras = { refreshedBy: operatorOpenId, watch: async () => (w ? ctx.watches.get(w) : undefined) };
      const started = buildReadsAnswer(ids, ctx, extras);
      running.set(messageId, started);
      const forget = () => running.delete(messageId);
      started.then(forget, forget);
      work = started;
    }
    const outcome = await ctx.inTime(
      work.then(
        (card) => ({ card }),
        (e: unknown) => ({ error: asBotError(e) }),
      ),
    );
    if (outcome && 'card' in outcome) {
      ctx.log.info('refreshed in the callback');
      return answer('refreshed', outcome.card);
    }
    if (outcome) {
      // Only a shutdown or an unreachable shared state gets here (failures become error cards): leave the card as it is.
      ctx.log.info({ code: outcome.error.code }, 'refresh not done');
      if (outcome.error.code === 'unavailable') throw outcome.error;
      return answer('restarting');
    }
    // A watched card is rebuilt from the store when its update goes out, so it never shows older state.
    ctx.updateLater(work, async (card) => (w ? ((await ctx.watches.cardNow(w, operatorOpenId)) ?? card) : card));
    return answer('refreshing');
  };
}
