/** Ids the bot makes up. */
import { createHash, randomUUID } from 'node:crypto';

export function newWatchId(): string {
  return `w_${randomUUID().replace(/-/g, '')}`;
}

/** Feishu shows at most one reply per uuid within an hour, so a repeated reply is harmless. */
export function replyUuid(messageId: string): string {
  return `reads-${createHash('sha256').update(messageId).digest('hex').slice(0, 40)}`;
}
