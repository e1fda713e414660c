/** `/reads bm_x history`: a fresh snapshot, then the recorded series with its trend. */
import { buildErrorCard } from '../../cards/errorCard.js';
import { buildHistoryCard } from '../../cards/historyCard.js';
import type { CommandHandler } from '../../dispatch/handlerContext.js';
import { failureToShow } from '../reads/readsAnswer.js';

export const history: CommandHandler<'history'> = async ({ batchId }, ctx) => {
  try {
    await ctx.snapshot(batchId);
  } catch (e) {
    await ctx.reply(buildErrorCard(batchId, failureToShow(e, ctx.log)));
    return;
  }
  await ctx.reply(buildHistoryCard(batchId, await ctx.series(batchId), ctx.now(), ctx.timeZone));
};
