/**
 * Recall: the tracking card's button asks first; Recall on that question
 * recalls the message from everyone it reached (DELETE, once), Keep it
 * brings the tracking card back. Its writer and the owner and managers of
 * the chat it was written in may recall it. A recall Feishu refuses (past
 * the tenant's recall window, another app's message) says why.
 */
import { buildErrorCard } from '../../cards/errorCard.js';
import { buildRecallConfirmCard } from '../../cards/recallConfirmCard.js';
import { answer } from '../../cards/toasts.js';
import type { ActionHandler } from '../../dispatch/handlerContext.js';

export const recall: ActionHandler<'recall'> = async ({ s }, ctx) => {
  const send = await ctx.sending.get(s);
  if (!send) return answer('unknownAction');
  if (!(await ctx.sending.mayRecall(send, ctx.press.operatorOpenId))) return answer('recallNotAllowed');
  if (send.state !== 'sent') return answer('sendNotNow', await ctx.sending.cardOf(send, ctx.log));
  return answer('recallAsk', buildRecallConfirmCard(send));
};

export const recallConfirm: ActionHandler<'recall_confirm'> = async ({ s }, ctx) => {
  const outcome = await ctx.sending.recall(s, ctx.press.operatorOpenId, ctx.log);
  switch (outcome.kind) {
    case 'unknown':
      return answer('unknownAction');
    case 'not_allowed':
      return answer('recallNotAllowed');
    case 'refused':
      return answer('recallRefused', buildErrorCard(outcome.send.batchId ?? '', outcome.error, ctx.now()));
    default:
      return answer(
        outcome.kind === 'done' ? 'recalled' : 'sendNotNow',
        await ctx.sending.cardOf(outcome.send, ctx.log),
      );
  }
};

export const recallKeep: ActionHandler<'recall_keep'> = async ({ s }, ctx) => {
  const send = await ctx.sending.get(s);
  if (!send) return answer('unknownAction');
  return answer('recallKept', await ctx.sending.cardOf(send, ctx.log));
};
