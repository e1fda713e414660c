/** Stop watching: ends the watch if the presser started it or runs the chat, and shows its final card. */
import { answer } from '../../cards/toasts.js';
import type { ActionHandler } from '../../dispatch/handlerContext.js';

export const stopWatch: ActionHandler<'stop_watch'> = async ({ w }, ctx) => {
  const result = await ctx.watches.stop(w, ctx.press.operatorOpenId, ctx.press.messageId);
  ctx.log.info({ result: result.stopped ? 'stopped' : result.reason }, 'stop watch pressed');
  if (result.stopped) return answer('watchStopped', result.card);
  if (result.reason === 'not_allowed') return answer('watchStopNotAllowed');
  return answer('watchAlreadyEnded', result.card);
};
