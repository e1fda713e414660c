/**
 * `/send` writes a draft and answers with its preview; nothing is sent
 * before its writer confirms it. `/sent` lists the person's latest sends.
 * Only people in SENDERS may send; anyone else is told who can allow them.
 */
import { buildNotASenderCard } from '../../cards/refusalCards.js';
import { buildSendFormCard } from '../../cards/sendFormCard.js';
import { buildSendPreviewCard } from '../../cards/sendPreviewCard.js';
import { buildSentListCard } from '../../cards/sentListCard.js';
import type { CommandContext, CommandHandler } from '../../dispatch/handlerContext.js';
import { sendIdFor } from '../../domain/ids.js';
import { MAX_SEND_TEXT, type Send } from '../../domain/send.js';
import { explainError } from '../../feishu/errorCatalogue.js';
import { messageText, readRecipients } from '../../parse/recipients.js';
import { failureToShow } from '../reads/readsAnswer.js';

/** Who wrote the command (an event without a sender is nobody who may send). */
const writer = (ctx: CommandContext) => ({ openId: ctx.entry.senderOpenId ?? '', userId: ctx.entry.senderUserId });

/** Whether the command's writer may send; if not, they have been told. */
async function allowed(ctx: CommandContext): Promise<boolean> {
  const who = writer(ctx);
  const permission = ctx.sending.permission(who);
  if (permission === 'allowed') return true;
  ctx.log.info({ permission }, 'not a sender; nothing sent');
  await ctx.reply(buildNotASenderCard(permission, who));
  return false;
}

export const send: CommandHandler<'send'> = async (command, ctx) => {
  if (!(await allowed(ctx))) return;
  const { entry } = ctx;
  const text = messageText(command.text, entry.mentions);
  const { recipients, unusable } = readRecipients(command.to, entry.mentions);
  if (text.length === 0 || text.length > MAX_SEND_TEXT) {
    // The message is missing or longer than a message may be: the form says what goes where.
    await ctx.reply(buildSendFormCard({ text: text.slice(0, MAX_SEND_TEXT), to: command.to.trim() }, text.length));
    return;
  }
  const draft: Send = {
    id: sendIdFor(entry.messageId),
    state: 'draft',
    senderOpenId: writer(ctx).openId,
    senderUserId: entry.senderUserId,
    chatId: entry.chatId,
    text,
    recipients,
    unusable,
    createdAt: ctx.now(),
  };
  const saved = await ctx.sending.draft(draft);
  const cardMessageId = await ctx.reply(buildSendPreviewCard(saved, ctx.now()));
  await ctx.sending.showOn(saved.id, cardMessageId);
  ctx.log.info({ send_id: saved.id, recipients, unusable: unusable.length }, 'batch message previewed');
};

export const sent: CommandHandler<'sent'> = async (_command, ctx) => {
  if (!(await allowed(ctx))) return;
  const sends = await ctx.sending.latest(writer(ctx).openId);
  const rows = await Promise.all(
    sends.map(async (s) => {
      if (s.state !== 'sent' || !s.batchId) return { send: s };
      try {
        return { send: s, snapshot: (await ctx.snapshot(s.batchId)).snapshot };
      } catch (e) {
        return { send: s, error: explainError(failureToShow(e, ctx.log)) };
      }
    }),
  );
  await ctx.reply(buildSentListCard(rows, ctx.now()));
};
