/**
 * read_user and get_progress, as Feishu answers them: each call recorded on
 * arrival and counted against its limit before the token is looked at, then
 * answered as the batch's script says.
 */
import type { Express, Request, Response } from 'express';
import type { BatchScripts } from './batchScripts.js';
import type { TenantTokens } from './authRoutes.js';
import { pause, sendFailure, tooFrequent } from './feishuAnswers.js';
import type { RateLimits } from './rateLimits.js';
import type { ReadUserCall, Records } from './records.js';

type IdRequest = Request<{ id: string }>;

export interface BatchParts {
  tokens: TenantTokens;
  batches: BatchScripts;
  records: Records;
  limits: RateLimits;
  now: () => number;
}

export function mountBatchRoutes(app: Express, parts: BatchParts): void {
  app.get('/open-apis/im/v1/batch_messages/:id/read_user', async (req, res) => {
    const call: ReadUserCall = { batchId: req.params.id, at: parts.now(), status: 0 };
    parts.records.readUserCalls.push(call); // recorded on arrival, as Feishu counts it
    call.status = await answerReadUser(parts, req, res, call.at);
  });
  app.get('/open-apis/im/v1/batch_messages/:id/get_progress', (req, res) => getProgress(parts, req, res));
}

/** Resolves to the HTTP status answered, or 0 when the client went away first. */
async function answerReadUser(parts: BatchParts, req: IdRequest, res: Response, at: number): Promise<number> {
  // Feishu counts a call against the limits before it looks at the token.
  if (parts.limits.overAppLimit('read_user', at)) {
    tooFrequent(res);
    return 429;
  }
  if (!parts.tokens.authorised(req, res)) return 400;
  const behaviour = parts.batches.next(req.params.id);
  await pause(behaviour.delayMs);
  if (res.destroyed) return 0;
  if (behaviour.kind === 'error' || behaviour.kind === 'http_error') {
    sendFailure(res, behaviour);
    return behaviour.httpStatus;
  }
  const counts = { read_count: String(parts.batches.readCount(behaviour)), total_count: String(behaviour.total) };
  res.json({ code: 0, msg: 'success', data: { read_user: counts } });
  return 200;
}

/** get_progress: the behaviour's counts as a delivery funnel; its errors as read_user's. Limits of its own. */
async function getProgress(parts: BatchParts, req: IdRequest, res: Response): Promise<void> {
  const call: ReadUserCall = { batchId: req.params.id, at: parts.now(), status: 0 };
  parts.records.progressCalls.push(call);
  if (parts.limits.overAppLimit('get_progress', call.at)) {
    call.status = 429;
    return tooFrequent(res);
  }
  if (!parts.tokens.authorised(req, res)) return void (call.status = 400);
  const behaviour = parts.batches.peek(req.params.id);
  await pause(behaviour.delayMs);
  if (res.destroyed) return;
  if (behaviour.kind === 'error' || behaviour.kind === 'http_error') {
    call.status = behaviour.httpStatus;
    return sendFailure(res, behaviour);
  }
  const recalled = behaviour.kind === 'counts' ? (behaviour.recalled ?? 0) : 0;
  const hidden = behaviour.kind === 'counts' ? (behaviour.hidden ?? 0) : 0;
  call.status = 200;
  res.json({
    code: 0,
    msg: 'success',
    data: {
      batch_message_send_progress: {
        valid_user_ids_count: behaviour.total + hidden,
        success_user_ids_count: behaviour.total,
        read_user_ids_count: parts.batches.readCount(behaviour),
      },
      batch_message_recall_progress: { recall: recalled > 0, recall_count: recalled },
    },
  });
}
