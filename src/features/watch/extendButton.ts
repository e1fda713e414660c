/** Extend, on the card that answers a second watch: the running watch restarts from now with the duration asked for. */
import { answer } from '../../cards/toasts.js';
import { buildWatchExtendedCard } from '../../cards/watchCards.js';
import type { ActionHandler } from '../../dispatch/handlerContext.js';

export const extendWatch: ActionHandler<'extend_watch'> = async ({ w, d, i }, ctx) => {
  const extended = await ctx.watches.extend(w, d, i);
  ctx.log.info({ result: extended ? 'extended' : 'ended', until: extended?.until }, 'extend watch pressed');
  if (!extended) return answer('watchAlreadyEnded');
  return answer('watchExtended', buildWatchExtendedCard(extended, ctx.press.operatorOpenId));
};
