/**
 * Refresh: fresh numbers on the pressed card. They come back in the callback
 * when ready within Feishu's 3 s; otherwise the press answers "refreshing…"
 * and the card is updated once they arrive. Presses on one card while its
 * refresh runs share that refresh. A query that fails again says so in a
 * warning, and its card shows when it was tried.
 */
import { answerReads, type ReadsAnswer } from './readsAnswer.js';
import type { ActionHandler } from '../../dispatch/handlerContext.js';
import { cardInTime } from '../../dispatch/cardInTime.js';

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
    return cardInTime(ctx, work, { done: 'refreshed', failed: 'stillFailing', later: 'refreshing' }, async (card) =>
      w ? ((await ctx.watches.cardNow(w, operatorOpenId)) ?? card) : card,
    );
  };
}
