import { createCipheriv, createHash } from 'node:crypto';
import { decryptPayload, encryptPayload } from '../../../src/inbound/http/cipher.js';

describe('cipher', () => {
  it('decrypts what Feishu encrypts: AES-256-CBC, key sha256(encryptKey), IV first, PKCS#7', () => {
    // Built independently of encryptPayload, straight from Feishu's description.
    const iv = Buffer.alloc(16, 7);
    const key = createHash('sha256').update('test key').digest();
    const cipher = createCipheriv('aes-256-cbc', key, iv);
    const data = Buffer.concat([iv, cipher.update('{"hello":"飞书"}', 'utf8'), cipher.final()]).toString('base64');
    expect(decryptPayload(data, 'test key')).toBe('{"hello":"飞书"}');
  });

  it('round-trips with encryptPayload', () => {
    expect(decryptPayload(encryptPayload('x'.repeat(1000), 'k'), 'k')).toBe('x'.repeat(1000));
  });

  it('throws on a wrong key, truncated data or garbage', () => {
    const data = encryptPayload('{"a":1}', 'right');
    // A wrong key fails the padding check almost always; when it does not, the text is garbage.
    let wrong: string | undefined;
    try {
      wrong = decryptPayload(data, 'wrong');
    } catch {
      wrong = undefined;
    }
    expect(wrong).not.toBe('{"a":1}');
    expect(() => decryptPayload(data.slice(0, 20), 'right')).toThrow();
    expect(() => decryptPayload('not base64 at all!!', 'right')).toThrow();
    expect(() => decryptPayload('', 'right')).toThrow();
  });
});
