/**
 * `im.message.receive_v1`: a message addressed to the bot (any one-to-one
 * message, or a group message that @mentions it) is journaled as a command
 * in the same step that marks the message as seen. The message alone: every
 * delivery of this event, whatever its event id, is about one message, and a
 * second key cost every commit another page of the log (docs/performance.md).
 */
import { isCommand, type Command } from '../../domain/command.js';
import type { JournalEntry } from '../../domain/types.js';
import { isAddressedToBot, readMessageEvent } from './messageEvent.js';
import type { ActsOn, EventHandler } from './router.js';

/**
 * A message the bot acts on: addressed to it and, as `parse` reads it, a
 * command. The one place that decides whether a message is for the bot, so
 * it follows what the parser counts as a command.
 */
export function commandsForBot(parse: (text: string) => Command): ActsOn {
  return ({ event }, botOpenId) => {
    const message = readMessageEvent(event, botOpenId ?? '');
    return message !== undefined && isAddressedToBot(message) && isCommand(parse(message.text ?? ''));
  };
}

export const messageReceived: EventHandler = async ({ eventId, event }, ctx) => {
  const message = readMessageEvent(event, ctx.botOpenId() ?? '');
  if (!message) {
    ctx.log().warn('message event in an unexpected shape; acknowledged and ignored');
    return 'ignored';
  }
  const entry: JournalEntry | undefined = isAddressedToBot(message)
    ? {
        messageId: message.messageId,
        eventId,
        chatId: message.chatId,
        chatType: message.chatType,
        senderOpenId: message.senderOpenId,
        senderUserId: message.senderUserId,
        text: message.text,
        acceptedAt: ctx.now(),
        // Kept only when there are any: most commands mention no one but the bot, and the journal holds every command.
        ...(message.mentions.length > 0 ? { mentions: message.mentions } : {}),
      }
    : undefined;
  if (!(await ctx.accept([`message:${message.messageId}`], entry))) {
    ctx.log().info({ message_id: message.messageId }, 'redelivery ignored');
    return 'duplicate';
  }
  if (!entry) return 'not_for_bot';
  ctx.schedule(entry);
  return 'accepted';
};
