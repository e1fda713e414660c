/**
 * Feishu's event encryption: AES-256-CBC, key sha256(encryptKey), the IV is
 * the first 16 bytes of the base64-decoded data, PKCS#7 padding.
 * `encryptPayload` is the inverse, used by the demo chat client and tests.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { rememberLast } from './memo.js';

const keyOf = rememberLast((encryptKey: string) => createHash('sha256').update(encryptKey).digest());

/** Throws when the data is not something encrypted with this key. */
export function decryptPayload(encrypted: string, encryptKey: string): string {
  const data = Buffer.from(encrypted, 'base64');
  if (data.length < 32 || data.length % 16 !== 0) throw new Error('encrypted payload has an invalid length');
  const decipher = createDecipheriv('aes-256-cbc', keyOf(encryptKey), data.subarray(0, 16));
  return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString('utf8');
}

export function encryptPayload(plaintext: string, encryptKey: string, iv: Buffer = randomBytes(16)): string {
  const cipher = createCipheriv('aes-256-cbc', keyOf(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}
