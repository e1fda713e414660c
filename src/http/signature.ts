/**
 * Feishu request signing: X-Lark-Signature = hex(sha256(timestamp + nonce +
 * encryptKey + rawBody)). Pure; compared in constant time so the check leaks
 * nothing about how much of a forged signature was right.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function computeSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey)
    .update(rawBody)
    .digest('hex');
}

export function verifySignature(
  signature: string,
  timestamp: string,
  nonce: string,
  encryptKey: string,
  rawBody: Buffer,
): boolean {
  return safeEqual(signature.toLowerCase(), computeSignature(timestamp, nonce, encryptKey, rawBody));
}

/** Constant-time string equality; hashing first makes unequal lengths safe too. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
