/**
 * `/reads bm_x stop`: stops the chat's watch of that id, if the sender started
 * it or owns or manages the chat (the same check as the Stop button); the
 * watch's own card shows it stopped.
 */
import { buildStopAnswerCard } from '../../cards/watchCards.js';
import type { CommandHandler } from '../../dispatch/handlerContext.js';

export const stop: CommandHandler<'stop'> = async ({ batchId }, ctx) => {
  const { chatId, messageId, senderOpenId } = ctx.entry;
  const watch = await ctx.watches.activeIn(chatId, batchId);
  if (!watch) {
    await ctx.reply(buildStopAnswerCard({ kind: 'not_watched', batchId }));
    return;
  }
  const result = await ctx.watches.stop(watch.id, senderOpenId ?? '', messageId);
  ctx.log.info({ watch_id: watch.id, result: result.stopped ? 'stopped' : result.reason }, 'stop command');
  if (result.stopped) await ctx.reply(buildStopAnswerCard({ kind: 'stopped', watch }));
  else if (result.reason === 'not_allowed') await ctx.reply(buildStopAnswerCard({ kind: 'not_allowed', watch }));
  else await ctx.reply(buildStopAnswerCard({ kind: 'not_watched', batchId })); // it ended meanwhile
};
