/**
 * Feishu request signing: X-Lark-Signature = hex(sha256(timestamp + nonce +
 * encryptKey + rawBody)). Pure; compared in constant time so the check leaks
 * nothing about how much of a forged signature was right.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { rememberLast } from './memo.js';

function signatureHash(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer) {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey)
    .update(rawBody);
}

export function computeSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer): string {
  return signatureHash(timestamp, nonce, encryptKey, rawBody).digest('hex');
}

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

export function verifySignature(
  signature: string,
  timestamp: string,
  nonce: string,
  encryptKey: string,
  rawBody: Buffer,
): boolean {
  // Any signature is 64 hex digits, which everyone knows, so refusing another shape at once tells nothing.
  if (!HEX_SHA256.test(signature)) return false;
  const expected = signatureHash(timestamp, nonce, encryptKey, rawBody).digest();
  return timingSafeEqual(Buffer.from(signature, 'hex'), expected);
}

const digest = (s: string) => createHash('sha256').update(s).digest();
const expectedDigest = rememberLast(digest);

/**
 * Constant-time equality of what was received and what was `expected`;
 * hashing first makes unequal lengths safe too. The expected side is the
 * configured token, hashed once.
 */
export function safeEqual(received: string, expected: string): boolean {
  return timingSafeEqual(digest(received), expectedDigest(expected));
}
