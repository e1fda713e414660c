/** Commands answered without calling Feishu: usage help, and why a command cannot run as written. */
import {
  buildHelpCard,
  buildInvalidIdCard,
  buildInvalidWatchCard,
  buildTooLongCard,
  buildTooManyIdsCard,
} from '../../cards/helpCard.js';
import { buildDidYouMeanCard } from '../../cards/didYouMeanCard.js';
import { withQueryForm } from '../../cards/queryFormCard.js';
import type { CommandHandler } from '../../dispatch/handlerContext.js';

export const help: CommandHandler<'help'> = async ({ reason }, ctx) => {
  const who = { openId: ctx.entry.senderOpenId, userId: ctx.entry.senderUserId };
  await ctx.reply(withQueryForm(buildHelpCard(reason, ctx.sending.permission(who))));
};

export const invalidId: CommandHandler<'invalid_id'> = async ({ given }, ctx) => {
  await ctx.reply(buildInvalidIdCard(given));
};

export const tooManyIds: CommandHandler<'too_many_ids'> = async ({ count }, ctx) => {
  await ctx.reply(buildTooManyIdsCard(count));
};

export const tooLong: CommandHandler<'too_long'> = async ({ length }, ctx) => {
  await ctx.reply(buildTooLongCard(length));
};

export const invalidWatch: CommandHandler<'invalid_watch'> = async ({ problem, given }, ctx) => {
  await ctx.reply(buildInvalidWatchCard(problem, given));
};

export const didYouMean: CommandHandler<'did_you_mean'> = async ({ suggestions, unknown }, ctx) => {
  await ctx.reply(buildDidYouMeanCard(suggestions, unknown));
};
