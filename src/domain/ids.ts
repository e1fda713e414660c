/** Ids the bot makes up: each derived from what it is for, so the same occasion gives the same id again. */
import { createHash } from 'node:crypto';

const hashed = (prefix: string, occasion: string, length: number): string =>
  `${prefix}${createHash('sha256').update(occasion).digest('hex').slice(0, length)}`;

/** The watch a command starts: the same id when the command is answered again after a restart. */
export function watchIdFor(messageId: string): string {
  return hashed('w_', messageId, 32);
}

/** Feishu shows at most one reply per uuid within an hour, so a repeated reply is harmless. */
export function replyUuid(messageId: string): string {
  return hashed('reads-', messageId, 40);
}

/** A message the bot sends on its own (a menu answer, a greeting): the same uuid for the same occasion, so it shows once. */
export function sendUuid(occasion: string): string {
  return hashed('send-', occasion, 40);
}

/** A send's id, from the message or press that wrote its draft: the same again when that command is answered again. */
export function sendIdFor(occasion: string): string {
  return hashed('s_', occasion, 32);
}
