/**
 * The messages the bot sends, as Feishu takes them: replies, message creates
 * and card updates, each checked in Feishu's order (a repeated uuid, the
 * parameters, the size, the card, the limits) and recorded once accepted.
 */
import type { Express, Request, Response } from 'express';
import type { TenantTokens } from './authRoutes.js';
import type { Faults } from './faults.js';
import { fail, failLater, tooFrequent } from './feishuAnswers.js';
import type { RateLimits } from './rateLimits.js';
import type { Records } from './records.js';

type IdRequest = Request<{ id: string }>;

export interface MessageParts {
  tokens: TenantTokens;
  records: Records;
  limits: RateLimits;
  faults: Faults;
  now: () => number;
}

const MAX_CONTENT_BYTES = 30 * 1024;

export function mountMessageRoutes(app: Express, parts: MessageParts): void {
  app.post('/open-apis/im/v1/messages', parts.tokens.check, (req, res) => send(parts, req, res));
  app.post('/open-apis/im/v1/messages/:id/reply', parts.tokens.check, (req, res) => reply(parts, req, res));
  app.patch('/open-apis/im/v1/messages/:id', parts.tokens.check, (req, res) => update(parts, req, res));
}

async function reply(parts: MessageParts, req: IdRequest, res: Response): Promise<void> {
  const { records, limits } = parts;
  const at = parts.now();
  const parentId = req.params.id;
  const fault = parts.faults.nextReplyFault();
  if (fault) return failLater(res, fault);
  const { msg_type, content, uuid } = (req.body ?? {}) as { msg_type?: unknown; content?: unknown; uuid?: unknown };
  const earlier = records.earlier('reply', uuid);
  if (earlier)
    return void res.json({ code: 0, msg: 'success', data: { message_id: earlier.messageId, parent_id: parentId } });
  if (typeof msg_type !== 'string' || typeof content !== 'string') return fail(res, 400, 230001, 'invalid param');
  const card = cardIn(res, content);
  if (!card) return;
  if (limits.overAppLimit('reply', at)) return tooFrequent(res);
  const chatId = limits.chatOf(parentId);
  if (chatId !== undefined && limits.overLimitOf('reply_chat', chatId, at))
    return fail(res, 400, 230020, 'This chat is under frequency control.');
  const messageId = records.newMessageId('reply');
  records.addReply({
    parentId,
    uuid: typeof uuid === 'string' ? uuid : undefined,
    msgType: msg_type,
    card: card.value,
    at,
    messageId,
  });
  res.json({ code: 0, msg: 'success', data: { message_id: messageId, parent_id: parentId, msg_type } });
}

/** Message create: like a reply (uuid, size, card, app limit), 5 a second per recipient. */
function send(parts: MessageParts, req: Request, res: Response): void {
  const { records, limits } = parts;
  const at = parts.now();
  const receiveIdType = typeof req.query.receive_id_type === 'string' ? req.query.receive_id_type : '';
  const { receive_id, msg_type, content, uuid } = (req.body ?? {}) as Record<string, unknown>;
  const earlier = records.earlier('sent', uuid);
  if (earlier) return void res.json({ code: 0, msg: 'success', data: { message_id: earlier.messageId } });
  if (!['open_id', 'chat_id'].includes(receiveIdType) || typeof receive_id !== 'string' || !receive_id)
    return fail(res, 400, 230001, 'invalid receive_id or receive_id_type');
  if (typeof msg_type !== 'string' || typeof content !== 'string') return fail(res, 400, 230001, 'invalid param');
  const card = cardIn(res, content);
  if (!card) return;
  if (limits.overAppLimit('send', at)) return tooFrequent(res);
  if (limits.overLimitOf('send_recipient', receive_id, at))
    return fail(res, 400, 230020, 'This chat is under frequency control.');
  const messageId = records.newMessageId('sent');
  records.addSent({
    receiveIdType,
    receiveId: receive_id,
    uuid: typeof uuid === 'string' ? uuid : undefined,
    card: card.value,
    at,
    messageId,
  });
  res.json({ code: 0, msg: 'success', data: { message_id: messageId, chat_id: 'oc_fake_p2p', msg_type } });
}

async function update(parts: MessageParts, req: IdRequest, res: Response): Promise<void> {
  const { records } = parts;
  const at = parts.now();
  const messageId = req.params.id;
  const failure = parts.faults.updateFailure(messageId);
  if (failure) {
    records.failedUpdates.push({ messageId, at, httpStatus: failure.httpStatus });
    return failLater(res, failure);
  }
  if (!records.isMessage(messageId)) return fail(res, 400, 230001, 'invalid message_id');
  const { content } = (req.body ?? {}) as { content?: unknown };
  if (typeof content !== 'string') return fail(res, 400, 230001, 'invalid param');
  if (tooLong(res, content)) return;
  if (parts.limits.overLimitOf('patch_message', messageId, at))
    return fail(res, 400, 230020, 'This message is under frequency control.');
  const card = parseCard(res, content);
  if (!card) return;
  records.patches.push({ messageId, card: card.value, at });
  res.json({ code: 0, msg: 'success', data: {} });
}

/** A new message's card, checked for size, then parsed; undefined, having answered, when it fails either. */
function cardIn(res: Response, content: string): { value: unknown } | undefined {
  return tooLong(res, content) ? undefined : parseCard(res, content);
}

/** True, having answered 230025, when a message's content is over Feishu's size limit. */
function tooLong(res: Response, content: string): boolean {
  if (Buffer.byteLength(content) <= MAX_CONTENT_BYTES) return false;
  fail(res, 400, 230025, 'message content too long');
  return true;
}

/** The card in a message's content; undefined, having answered 230099, when it is not JSON. */
function parseCard(res: Response, content: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(content) as unknown };
  } catch {
    fail(res, 400, 230099, 'Failed to create card content');
    return undefined;
  }
}
