/**
 * The query form's submit: the typed ids are checked like a command's — bad
 * ids get the invalid-id explanation and Feishu is not called — and count
 * against the person's commands a minute. The counts replace the form card:
 * in the callback when ready in time, otherwise as an update, as Refresh does;
 * a query that fails answers with a warning, not a success.
 */
import { buildInvalidIdCard, buildTooManyIdsCard } from '../../cards/helpCard.js';
import { buildQueryFormCard, withQueryForm } from '../../cards/queryFormCard.js';
import { answer } from '../../cards/toasts.js';
import { readIdList } from '../../parse/parse.js';
import { answerReads } from './readsAnswer.js';
import type { ActionHandler } from '../../dispatch/handlerContext.js';
import { MAX_IDS } from '../../domain/rules.js';
import { cardInTime } from '../../dispatch/cardInTime.js';

export const queryForm: ActionHandler<'query_form'> = async ({ text = '' }, ctx) => {
  const { ids, invalid } = readIdList(text);
  const firstInvalid = invalid[0];
  if (firstInvalid !== undefined) return answer('checkIds', withQueryForm(buildInvalidIdCard(firstInvalid)));
  if (ids.length === 0) return answer('noIds', buildQueryFormCard());
  if (ids.length > MAX_IDS) return answer('checkIds', withQueryForm(buildTooManyIdsCard(ids.length)));
  if (!(await ctx.countCommand())) return answer('tooManyQueries');
  ctx.log.info({ batch_id: ids.join(',') }, 'query form submitted');
  return cardInTime(ctx, answerReads(ids, ctx), { done: 'queried', failed: 'queryFailed', later: 'querying' });
};
