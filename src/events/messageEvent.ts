/**
 * Reads an `im.message.receive_v1` event (schema 2.0) into what the bot needs,
 * and decides whether the message is addressed to the bot. Pure.
 */
import { z } from 'zod';

export interface IncomingMessage {
  messageId: string;
  chatId: string;
  chatType: string;
  senderOpenId?: string;
  senderUserId?: string;
  /** The typed text with mention placeholders (`@_user_1`), or undefined for non-text messages. */
  text?: string;
  mentionsBot: boolean;
}

const eventSchema = z.looseObject({
  sender: z
    .looseObject({
      sender_id: z.looseObject({ open_id: z.string().optional(), user_id: z.string().optional() }).optional(),
    })
    .optional(),
  message: z.looseObject({
    message_id: z.string().min(1),
    chat_id: z.string().min(1),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    mentions: z
      .array(z.looseObject({ key: z.string(), id: z.looseObject({ open_id: z.string().optional() }).optional() }))
      .optional(),
  }),
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Rich-text (`post`) messages: the text of every `text` node, in order. */
function postText(node: unknown): string {
  if (Array.isArray(node)) return node.map(postText).join(' ');
  if (typeof node !== 'object' || node === null) return '';
  const o = node as Record<string, unknown>;
  if (o.tag === 'text' && typeof o.text === 'string') return o.text;
  return Object.values(o).map(postText).join(' ');
}

function messageText(messageType: string, content: string): string | undefined {
  const parsed = parseJson(content);
  if (messageType === 'text') {
    const text = (parsed as { text?: unknown } | undefined)?.text;
    return typeof text === 'string' ? text : undefined;
  }
  if (messageType === 'post' && parsed !== undefined) return postText(parsed);
  return undefined;
}

/** Undefined when the event is not a message event we can read. */
export function readMessageEvent(event: unknown, botOpenId: string): IncomingMessage | undefined {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  const { message, sender } = parsed.data;
  return {
    messageId: message.message_id,
    chatId: message.chat_id,
    chatType: message.chat_type,
    senderOpenId: sender?.sender_id?.open_id,
    senderUserId: sender?.sender_id?.user_id || undefined,
    text: messageText(message.message_type, message.content),
    mentionsBot: (message.mentions ?? []).some((m) => m.id?.open_id === botOpenId),
  };
}

/** One-to-one chats always; groups only when the bot is @mentioned. */
export function isAddressedToBot(message: IncomingMessage): boolean {
  return message.chatType === 'p2p' || message.mentionsBot;
}
