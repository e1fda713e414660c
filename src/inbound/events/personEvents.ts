/**
 * Reads the events of a person and the bot outside a message (schema 2.0):
 * a press on the bot's custom menu (`application.bot.menu_v6`) and entering
 * the one-to-one chat (`im.chat.access_event.bot_p2p_chat_entered_v1`). Pure.
 */
import { z } from 'zod';

export interface Person {
  openId: string;
  userId?: string;
}

const idsSchema = z.looseObject({ open_id: z.string().min(1), user_id: z.string().optional() });

const menuSchema = z.looseObject({
  event_key: z.string().min(1).max(30),
  operator: z.looseObject({ operator_id: idsSchema }),
});

const enteredSchema = z.looseObject({ chat_id: z.string().min(1), operator_id: idsSchema });

const person = (ids: z.infer<typeof idsSchema>): Person => ({ openId: ids.open_id, userId: ids.user_id || undefined });

/** Undefined when the event is not a menu press we can read. */
export function readMenuEvent(event: unknown): { eventKey: string; operator: Person } | undefined {
  const parsed = menuSchema.safeParse(event);
  return parsed.success
    ? { eventKey: parsed.data.event_key, operator: person(parsed.data.operator.operator_id) }
    : undefined;
}

/** Undefined when the event is not a chat entry we can read. */
export function readChatEntered(event: unknown): { chatId: string; operator: Person } | undefined {
  const parsed = enteredSchema.safeParse(event);
  return parsed.success ? { chatId: parsed.data.chat_id, operator: person(parsed.data.operator_id) } : undefined;
}
