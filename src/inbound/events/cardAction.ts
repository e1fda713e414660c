/** Reads a `card.action.trigger` callback (schema 2.0) into what the bot needs. Pure. */
import { z } from 'zod';
import type { CardAction } from '../../domain/types.js';
import { isValidBatchId, MAX_IDS, QUERY_FORM, QUERY_INPUT_MAX, WATCH_LIMITS } from '../../domain/rules.js';
import { SEND_FORM } from '../../domain/send.js';

export interface CardPress {
  operatorOpenId: string;
  /** With the user-id scope only. */
  operatorUserId?: string;
  messageId: string;
  chatId: string;
  action: CardAction;
  /** When the pressed card was sent (its buttons' `t`), if it says. */
  bornAt?: number;
}

const sendId = z.string().min(1).max(64);

const actionSchema = z.union([
  z.object({
    a: z.literal('refresh'),
    ids: z.array(z.string().refine(isValidBatchId)).min(1).max(MAX_IDS),
    w: z.string().max(64).optional(),
    at: z.number().int().nonnegative().optional(),
  }),
  z.object({ a: z.literal('stop_watch'), w: z.string().min(1).max(64) }),
  z
    .object({
      a: z.literal('extend_watch'),
      w: z.string().min(1).max(64),
      d: z.number().int().min(WATCH_LIMITS.minDurationMs).max(WATCH_LIMITS.maxDurationMs),
      i: z.number().int().min(WATCH_LIMITS.minIntervalMs),
    })
    .refine((v) => v.i <= v.d),
  z.object({ a: z.literal('delivery'), id: z.string().refine(isValidBatchId) }),
  z.object({ a: z.literal('query_form') }),
  z.object({ a: z.literal('send_form') }),
  // The send form's Preview: what was typed comes in form_value; `s`, the draft it edits.
  z.object({ a: z.literal('send_preview'), s: sendId.optional() }),
  ...(
    [
      'send_confirm',
      'send_edit',
      'send_cancel',
      'send_again',
      'recall',
      'recall_confirm',
      'recall_keep',
      'open_send',
    ] as const
  ).map((a) => z.object({ a: z.literal(a), s: sendId })),
]);

const bornSchema = z.looseObject({ t: z.number().int().nonnegative() });

// A form submit: the submit button's name, and what was typed in the input.
const formSchema = z.looseObject({
  name: z.literal(QUERY_FORM.submit),
  form_value: z.looseObject({ [QUERY_FORM.input]: z.string().max(QUERY_INPUT_MAX).optional() }),
});

// The send form's submit: the message and the recipients as typed (an input holds at most 1,000 characters).
const sendFormSchema = z.looseObject({
  name: z.literal(SEND_FORM.submit),
  form_value: z.looseObject({
    [SEND_FORM.text]: z.string().max(QUERY_INPUT_MAX).optional(),
    [SEND_FORM.to]: z.string().max(QUERY_INPUT_MAX).optional(),
  }),
});

const eventSchema = z.looseObject({
  operator: z.looseObject({ open_id: z.string().min(1), user_id: z.string().optional() }),
  action: z.looseObject({ value: z.unknown() }),
  context: z.looseObject({ open_message_id: z.string().min(1), open_chat_id: z.string().min(1) }),
});

/** Undefined when the callback is not one of our buttons. */
export function readCardAction(event: unknown): CardPress | undefined {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  const action = actionSchema.safeParse(parsed.data.action.value);
  if (!action.success) return undefined;
  let value: CardAction = action.data;
  if (value.a === 'query_form') {
    const form = formSchema.safeParse(parsed.data.action);
    if (!form.success) return undefined;
    value = { a: 'query_form', text: form.data.form_value[QUERY_FORM.input] ?? '' };
  }
  if (value.a === 'send_preview') {
    const form = sendFormSchema.safeParse(parsed.data.action);
    if (!form.success) return undefined;
    const typed = form.data.form_value;
    value = { ...value, text: typed[SEND_FORM.text] ?? '', to: typed[SEND_FORM.to] ?? '' };
  }
  return {
    operatorOpenId: parsed.data.operator.open_id,
    operatorUserId: parsed.data.operator.user_id || undefined,
    messageId: parsed.data.context.open_message_id,
    chatId: parsed.data.context.open_chat_id,
    action: value,
    bornAt: bornSchema.safeParse(parsed.data.action.value).data?.t,
  };
}
