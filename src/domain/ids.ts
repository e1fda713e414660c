/** Ids the bot makes up. */
import { createHash } from 'node:crypto';

/** The watch a command starts: the same id when the command is answered again after a restart. */
export function watchIdFor(messageId: string): string {
  return `w_${createHash('sha256').update(messageId).digest('hex').slice(0, 32)}`;
}

/** Feishu shows at most one reply per uuid within an hour, so a repeated reply is harmless. */
export function replyUuid(messageId: string): string {
  return `reads-${createHash('sha256').update(messageId).digest('hex').slice(0, 40)}`;
}

/** A message the bot sends on its own (a menu answer, a greeting): the same uuid for the same occasion, so it shows once. */
export function sendUuid(occasion: string): string {
  return `send-${createHash('sha256').update(occasion).digest('hex').slice(0, 40)}`;
}
