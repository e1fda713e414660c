/** `/reads bm_xxx delivery` (送达): the delivery funnel and recall state (get_progress). */
import type { CommandHandler } from '../../dispatch/handlerContext.js';
import { buildDeliveryAnswer } from './deliveryAnswer.js';

export const delivery: CommandHandler<'delivery'> = async ({ batchId }, ctx) => {
  await ctx.reply(await buildDeliveryAnswer(batchId, ctx));
};
