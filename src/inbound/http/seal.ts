/**
 * A request as Feishu sends it: the payload encrypted with the encrypt key and
 * signed (X-Lark-Signature over the exact body), or, without a key, plain and
 * unsigned. The inverse of decodeRequest: the demo and the tests speak to the
 * bot with it, and the long connection passes events on with it
 * (FEISHU_FORWARD_URL) as a webhook would have received them.
 */
import { randomBytes } from 'node:crypto';
import { encryptPayload } from './cipher.js';
import { computeSignature } from './signature.js';

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** Encrypts and signs like Feishu; without a key, a plain unsigned body like Feishu too. */
export function feishuRequest(payload: unknown, encryptKey?: string, now = Date.now()): SignedRequest {
  if (!encryptKey) return { body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } };
  const body = JSON.stringify({ encrypt: encryptPayload(JSON.stringify(payload), encryptKey) });
  const timestamp = String(Math.floor(now / 1000));
  const nonce = randomBytes(8).toString('hex');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': computeSignature(timestamp, nonce, encryptKey, Buffer.from(body)),
    },
  };
}
