/**
 * Feishu request signing: X-Lark-Signature = hex(sha256(timestamp + nonce +
 * encryptKey + rawBody)). Pure; compared in constant time so the check leaks
 * nothing about how much of a forged signature was right.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

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

/** Constant-time string equality; hashing first makes unequal lengths safe too. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
