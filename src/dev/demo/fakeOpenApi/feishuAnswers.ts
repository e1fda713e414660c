/**
 * How Feishu answers a call it refuses: a status, a code and a message in
 * Feishu JSON, with a log id in the header and the body; or, for a failing
 * gateway, a body that is not Feishu JSON at all.
 */
import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import type { Failure } from './batchScripts.js';

export const pause = (ms?: number) =>
  new Promise<void>((resolve) => (ms ? setTimeout(resolve, ms).unref() : resolve()));

const logId = () => `fake${randomBytes(8).toString('hex').toUpperCase()}`;

export function fail(res: Response, httpStatus: number, code: number, msg: string): void {
  const id = logId();
  // Over a limit, Feishu says when the window resets.
  const reset = httpStatus === 429 ? { 'x-ogw-ratelimit-reset': '1' } : {};
  res
    .status(httpStatus)
    .set({ 'x-tt-logid': id, ...reset })
    .json({ code, msg, error: { log_id: id } });
}

/** A scripted failure: Feishu JSON, or a body that is not, like a failing gateway's. */
export function sendFailure(res: Response, failure: Failure): void {
  if (failure.kind === 'http_error')
    return void res.status(failure.httpStatus).type('text/plain').send('upstream error');
  fail(res, failure.httpStatus, failure.code, failure.msg);
}

export async function failLater(res: Response, failure: Failure): Promise<void> {
  await pause(failure.delayMs);
  sendFailure(res, failure);
}

/** Feishu's answer to a call over the app's limits. */
export const TOO_FREQUENT: Failure = {
  kind: 'error',
  httpStatus: 429,
  code: 99991400,
  msg: 'request trigger frequency limit',
};

export function tooFrequent(res: Response): void {
  sendFailure(res, TOO_FREQUENT);
}
