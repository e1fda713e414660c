import { createHash } from 'node:crypto';
import { computeSignature, safeEqual, verifySignature } from '../../../src/inbound/http/signature.js';

describe('signature', () => {
  const body = Buffer.from('{"encrypt":"abc"}');

  it('is hex sha256 of timestamp + nonce + encryptKey + raw body', () => {
    const expected = createHash('sha256')
      .update('1700000000' + 'nonce1' + 'key' + '{"encrypt":"abc"}')
      .digest('hex');
    expect(computeSignature('1700000000', 'nonce1', 'key', body)).toBe(expected);
  });

  it('verifies the right signature (either hex case) and nothing else', () => {
    const sig = computeSignature('1', 'n', 'key', body);
    expect(verifySignature(sig, '1', 'n', 'key', body)).toBe(true);
    expect(verifySignature(sig.toUpperCase(), '1', 'n', 'key', body)).toBe(true);
    expect(verifySignature(sig, '2', 'n', 'key', body)).toBe(false);
    expect(verifySignature(sig, '1', 'm', 'key', body)).toBe(false);
    expect(verifySignature(sig, '1', 'n', 'other', body)).toBe(false);
    expect(verifySignature(sig, '1', 'n', 'key', Buffer.from('{"encrypt":"abd"}'))).toBe(false);
    expect(verifySignature(sig.slice(0, 10), '1', 'n', 'key', body)).toBe(false);
    expect(verifySignature('', '1', 'n', 'key', body)).toBe(false);
    expect(verifySignature(`${sig.slice(0, 63)}g`, '1', 'n', 'key', body)).toBe(false); // not hex
    expect(verifySignature(`${sig}00`, '1', 'n', 'key', body)).toBe(false);
  });

  it('signs the exact bytes: re-serialised JSON does not verify', () => {
    const raw = Buffer.from('{ "encrypt" : "abc" }');
    const sig = computeSignature('1', 'n', 'key', raw);
    expect(verifySignature(sig, '1', 'n', 'key', Buffer.from(JSON.stringify(JSON.parse(raw.toString()))))).toBe(false);
  });

  it('safeEqual compares strings of any length', () => {
    expect(safeEqual('token', 'token')).toBe(true);
    expect(safeEqual('token', 'token2')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});
