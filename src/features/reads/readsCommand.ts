/** `/reads bm_a [bm_b …]`: the counts, read rate and snapshot time of each id. */
import type { CommandHandler } from '../../dispatch/handlerContext.js';
import { buildReadsAnswer } from './readsAnswer.js';

export const reads: CommandHandler<'reads'> = async (command, ctx) => {
  await ctx.reply(await buildReadsAnswer(command.batchIds, ctx));
};
