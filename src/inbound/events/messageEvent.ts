/**
 * Reads an `im.message.receive_v1` event (schema 2.0) into what the bot needs,
 * and decides whether the message is addressed to the bot. Pure.
 */
import { z } from 'zod';
import type { Mention } from '../../domain/types.js';

export interface IncomingMessage {
  messageId: string;
  chatId: string;
  chatType: string;
  senderOpenId?: string;
  senderUserId?: string;
  /** The typed text with mention placeholders (`@_user_1`), or undefined for non-text messages. */
  text?: string;
  mentionsBot: boolean;
  /** The people it @mentions besides the bot, by their placeholder in `text`. */
  mentions: Mention[];
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
      .array(
        z.looseObject({
          key: z.string(),
          id: z.looseObject({ open_id: z.string().optional() }).optional(),
          name: z.string().optional(),
        }),
      )
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

const postSchema = z.looseObject({
  title: z.string().optional(),
  content: z.array(
    z.array(z.looseObject({ tag: z.string(), text: z.string().optional(), user_id: z.string().optional() })),
  ),
});

/** What one piece of a paragraph adds to the text: words as written, a code block on lines of its own. */
function pieceText(piece: z.infer<typeof postSchema>['content'][number][number]): string {
  switch (piece.tag) {
    case 'text':
    case 'a':
      return piece.text ?? '';
    case 'code_block':
      return `\n${piece.text ?? ''}\n`;
    case 'at':
      return ` ${piece.user_id ?? ''} `; // the mention placeholder, e.g. @_user_1
    default:
      return ' '; // an image, an emoji: it sets words apart
  }
}

/**
 * Rich-text (`post`) messages: the title and each paragraph on lines of their
 * own. A paragraph's pieces are joined as written, without adding spaces:
 * `bm_demo_` followed by a bold `partly_read` is one word.
 */
function postText(parsed: unknown): string | undefined {
  const post = postSchema.safeParse(parsed);
  if (!post.success) return undefined;
  const paragraphs = post.data.content.map((pieces) => pieces.map(pieceText).join(''));
  return [post.data.title ?? '', ...paragraphs].join('\n');
}

function messageText(messageType: string, content: string): string | undefined {
  const parsed = parseJson(content);
  if (messageType === 'text') {
    const text = (parsed as { text?: unknown } | undefined)?.text;
    return typeof text === 'string' ? text : undefined;
  }
  if (messageType === 'post') return postText(parsed);
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
    mentions: (message.mentions ?? []).flatMap((m) =>
      m.id?.open_id && m.id.open_id !== botOpenId ? [{ key: m.key, openId: m.id.open_id, name: m.name }] : [],
    ),
  };
}

/** One-to-one chats always; groups only when the bot is @mentioned. */
export function isAddressedToBot(message: IncomingMessage): boolean {
  return message.chatType === 'p2p' || message.mentionsBot;
}
