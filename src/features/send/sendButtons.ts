/**
 * The buttons of a send: the form's Preview, and the preview's Confirm,
 * Edit and Cancel; Send again after a send Feishu did not confirm; Open on
 * the list of sends. Each answers in the callback with the card as the send
 * now stands, and a toast that says what happened.
 */
import type { Card } from '../../cards/card.js';
import { buildNotASenderCard } from '../../cards/refusalCards.js';
import { buildSendFormCard } from '../../cards/sendFormCard.js';
import { buildSendPreviewCard } from '../../cards/sendPreviewCard.js';
import { answer, type ActionAnswer, type ToastName } from '../../cards/toasts.js';
import type { ActionContext, ActionHandler, SendOutcome } from '../../dispatch/handlerContext.js';
import { sendIdFor } from '../../domain/ids.js';
import { MAX_SEND_TEXT, RECIPIENT_LISTS, type Send } from '../../domain/send.js';
import { messageText, readRecipients } from '../../parse/recipients.js';

/** The presser's permission to send; one who may not is told so, and who can allow them. */
function refused(ctx: ActionContext): ActionAnswer | undefined {
  const who = { openId: ctx.press.operatorOpenId, userId: ctx.press.operatorUserId };
  const permission = ctx.sending.permission(who);
  return permission === 'allowed' ? undefined : answer('notASender', buildNotASenderCard(permission, who));
}

/** The recipients of a send, written back as the form takes them. */
const written = (send: Send): string => RECIPIENT_LISTS.flatMap((list) => send.recipients[list]).join(' ');

/** The toasts of the outcomes every button answers alike. */
const REFUSALS: Partial<Record<SendOutcome['kind'], ToastName>> = {
  not_allowed: 'notTheWriter',
  // The card stays as the chat sees it: the writer alone is told, in the toast.
  not_a_sender: 'notASender',
};

/** A change's outcome as the callback's answer: the toast for it, and the card as the send now stands. */
async function answered(
  ctx: ActionContext,
  outcome: SendOutcome,
  toasts: Partial<Record<SendOutcome['kind'], ToastName>> & { done: ToastName },
): Promise<ActionAnswer> {
  if (outcome.kind === 'unknown') return answer('unknownAction');
  const toast = toasts[outcome.kind] ?? REFUSALS[outcome.kind] ?? 'sendNotNow';
  const card: Card = await ctx.sending.cardOf(outcome.send, ctx.log);
  return answer(toast, card);
}

export const sendForm: ActionHandler<'send_form'> = async (_action, ctx) =>
  refused(ctx) ?? answer('sendFormShown', buildSendFormCard());

/** The form's Preview: a new draft, or the edited one (`s`), shown in place of the form. */
export const sendPreview: ActionHandler<'send_preview'> = async (action, ctx) => {
  const no = refused(ctx);
  if (no) return no;
  const text = messageText(action.text ?? '');
  const { recipients, unusable } = readRecipients(action.to ?? '');
  if (text.length === 0 || text.length > MAX_SEND_TEXT)
    return answer('sendFormShown', buildSendFormCard({ text, to: action.to ?? '' }, text.length));
  if (action.s)
    return answered(
      ctx,
      await ctx.sending.rewrite(action.s, ctx.press.operatorOpenId, { text, recipients, unusable }),
      { done: 'previewShown' },
    );
  const { operatorOpenId, operatorUserId, messageId, chatId } = ctx.press;
  const draft = await ctx.sending.draft({
    id: sendIdFor(`form:${messageId}:${ctx.now()}`),
    state: 'draft',
    ...{ senderOpenId: operatorOpenId, senderUserId: operatorUserId, chatId, text, recipients, unusable },
    createdAt: ctx.now(),
  });
  await ctx.sending.showOn(draft.id, messageId);
  ctx.log.info({ send_id: draft.id, recipients, unusable: unusable.length }, 'batch message previewed');
  return answer('previewShown', buildSendPreviewCard(draft, ctx.now()));
};

export const sendConfirm: ActionHandler<'send_confirm'> = async ({ s }, ctx) =>
  answered(ctx, await ctx.sending.confirm(s, ctx.press.operatorOpenId, ctx.log), {
    done: 'sendingStarted',
    expired: 'previewExpired',
    moved: 'alreadySent',
  });

export const sendAgain: ActionHandler<'send_again'> = async ({ s }, ctx) =>
  answered(ctx, await ctx.sending.again(s, ctx.press.operatorOpenId, ctx.log), {
    done: 'sendingStarted',
    moved: 'alreadySent',
  });

export const sendCancel: ActionHandler<'send_cancel'> = async ({ s }, ctx) =>
  answered(ctx, await ctx.sending.cancel(s, ctx.press.operatorOpenId), { done: 'sendCancelled', moved: 'alreadySent' });

/** Edit: the form again, filled in with the draft, whose Preview rewrites it. */
export const sendEdit: ActionHandler<'send_edit'> = async ({ s }, ctx) => {
  const send = await ctx.sending.get(s);
  if (!send) return answer('unknownAction');
  if (send.senderOpenId !== ctx.press.operatorOpenId) return answer('notTheWriter');
  if (send.state !== 'draft') return answer('alreadySent', await ctx.sending.cardOf(send, ctx.log));
  return answer('sendFormShown', buildSendFormCard({ text: send.text, to: written(send), sendId: send.id }));
};

/** Open, on the list of sends: its card as it stands, in place of the list. */
export const openSend: ActionHandler<'open_send'> = async ({ s }, ctx) => {
  const send = await ctx.sending.get(s);
  if (!send) return answer('unknownAction');
  return answer('sendOpened', await ctx.sending.cardOf(send, ctx.log, ctx.press.operatorOpenId));
};
