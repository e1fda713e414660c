import { randomBytes } from 'node:crypto';
import { UNVERIFIED, decodeRequest, type RequestHeaders } from '../../../src/inbound/http/decodeRequest.js';
import { encryptPayload } from '../../../src/inbound/http/cipher.js';
import { feishuRequest, messageEvent } from '../../../src/dev/demo/feishuEvents.js';
import { computeSignature } from '../../../src/inbound/http/signature.js';

const TOKEN = 'verification-token';
const NOW = Date.now();
const KEY = 'encrypt-key';

function asHeaders(h: Record<string, string>): RequestHeaders {
  return {
    signature: h['x-lark-signature'],
    timestamp: h['x-lark-request-timestamp'],
    nonce: h['x-lark-request-nonce'],
  };
}

function decode(body: string, headers: RequestHeaders, encryptKey: string | null = KEY) {
  return decodeRequest(
    Buffer.from(body),
    headers,
    { verificationToken: TOKEN, encryptKey: encryptKey ?? undefined },
    NOW,
  );
}

/** Signs any body with the right key, to reach the checks after the signature. */
function sign(body: string): RequestHeaders {
  const timestamp = String(Math.floor(NOW / 1000));
  return { timestamp, nonce: 'n', signature: computeSignature(timestamp, 'n', KEY, Buffer.from(body)) };
}

describe('decodeRequest with an encrypt key', () => {
  const event = messageEvent({ token: TOKEN, text: '/reads bm_x', eventId: 'ev1' });

  it('accepts a signed, encrypted event', () => {
    const req = feishuRequest(event, KEY);
    const decoded = decode(req.body, asHeaders(req.headers));
    expect(decoded).toMatchObject({
      ok: true,
      envelope: { kind: 'event', eventId: 'ev1', eventType: 'im.message.receive_v1' },
    });
  });

  it('refuses a bad signature with 401', () => {
    const req = feishuRequest(event, KEY);
    const headers = { ...asHeaders(req.headers), signature: '0'.repeat(64) };
    expect(decode(req.body, headers)).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a body changed after signing with 401', () => {
    const req = feishuRequest(event, KEY);
    expect(decode(req.body.replace('"}', '="}'), asHeaders(req.headers))).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses incomplete signature headers with 401', () => {
    const req = feishuRequest(event, KEY);
    expect(decode(req.body, { ...asHeaders(req.headers), nonce: undefined })).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a correctly signed event carrying the wrong verification token with 401', () => {
    const req = feishuRequest(messageEvent({ token: 'wrong', text: 'x' }), KEY);
    expect(decode(req.body, asHeaders(req.headers))).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses an unsigned plain event with 401', () => {
    expect(decode(JSON.stringify(event), {})).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses an unsigned encrypted event (only the challenge comes unsigned) with 401', () => {
    const req = feishuRequest(event, KEY);
    expect(decode(req.body, {})).toMatchObject({ ok: false, status: 401 });
  });

  it('answers the unsigned, encrypted url_verification when its token is right', () => {
    const req = feishuRequest({ type: 'url_verification', challenge: 'c-123', token: TOKEN }, KEY);
    expect(decode(req.body, {})).toEqual({ ok: true, envelope: { kind: 'challenge', challenge: 'c-123' } });
    const wrong = feishuRequest({ type: 'url_verification', challenge: 'c-123', token: 'nope' }, KEY);
    expect(decode(wrong.body, {})).toMatchObject({ ok: false, status: 401 });
  });

  it('gives one identical refusal to every unsigned encrypted body that is not a good challenge (no padding oracle)', () => {
    const unsigned = (encrypt: string) => {
      const decoded = decode(JSON.stringify({ encrypt }), {});
      expect(decoded.ok).toBe(false);
      return decoded.ok ? undefined : { status: decoded.status, reason: decoded.reason };
    };
    const refusals = new Set(
      [
        ...Array.from({ length: 300 }, () => randomBytes(48).toString('base64')), // random ciphertexts: ~1% have good padding
        'AAAA',
        encryptPayload('not json', KEY), // good padding, not JSON
        encryptPayload('"a string"', KEY),
        encryptPayload('{"schema":"2.0"}', KEY), // JSON, not an event
        (JSON.parse(feishuRequest(event, KEY).body) as { encrypt: string }).encrypt, // a whole, genuine event, only unsigned
        encryptPayload(JSON.stringify({ type: 'url_verification', challenge: 'c', token: 'wrong' }), KEY),
      ].map((encrypt) => JSON.stringify(unsigned(encrypt))),
    );
    expect([...refusals]).toEqual([JSON.stringify({ status: 401, reason: UNVERIFIED })]);
  });

  it('keeps what was wrong for the server log', () => {
    expect(decode(JSON.stringify({ encrypt: encryptPayload('not json', KEY) }), {})).toMatchObject({
      detail: 'decrypted body is not JSON',
    });
    expect(decode(JSON.stringify({ encrypt: 'AAAA' }), {})).toMatchObject({ detail: 'cannot decrypt body' });
  });

  it('refuses undecryptable and non-JSON bodies with 400', () => {
    const signedGarbage = (body: string) => decode(body, sign(body));
    expect(signedGarbage('not json')).toMatchObject({ ok: false, status: 400 });
    expect(signedGarbage('[]')).toMatchObject({ ok: false, status: 400 });
    expect(signedGarbage('{"encrypt":"AAAA"}')).toMatchObject({ ok: false, status: 400 });
    expect(signedGarbage('{"encrypt":5}')).toMatchObject({ ok: false, status: 400 });
    expect(signedGarbage('{"something":"else"}')).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses a correctly signed request from outside the replay window with 401', () => {
    const hour = 60 * 60 * 1000;
    const at = (ms: number) => feishuRequest(event, KEY, ms);
    // Feishu's last redelivery comes about 7.1 h after the first try: still inside the window.
    const old = at(NOW - 7.2 * hour);
    expect(decode(old.body, asHeaders(old.headers)).ok).toBe(true);
    const stale = at(NOW - 8 * hour);
    expect(decode(stale.body, asHeaders(stale.headers))).toMatchObject({
      ok: false,
      status: 401,
      reason: 'timestamp outside the replay window',
    });
    const future = at(NOW + 10 * 60 * 1000);
    expect(decode(future.body, asHeaders(future.headers))).toMatchObject({ ok: false, status: 401 });
    const body = feishuRequest(event, KEY).body;
    const junk = {
      timestamp: 'yesterday',
      nonce: 'n',
      signature: computeSignature('yesterday', 'n', KEY, Buffer.from(body)),
    };
    expect(decode(body, junk)).toMatchObject({ ok: false, status: 401, reason: 'timestamp outside the replay window' });
  });

  it('acknowledges schema 1.0 callbacks without acting on them', () => {
    const req = feishuRequest(
      { uuid: 'u', token: TOKEN, ts: '1', type: 'event_callback', event: { type: 'message' } },
      KEY,
    );
    expect(decode(req.body, asHeaders(req.headers))).toEqual({
      ok: true,
      envelope: { kind: 'legacy', eventType: 'message' },
    });
  });
});

describe('decodeRequest without an encrypt key', () => {
  it('accepts a plain event whose token is right, refuses a wrong token with 401', () => {
    const good = messageEvent({ token: TOKEN, text: 'hi', eventId: 'e2' });
    expect(decode(JSON.stringify(good), {}, null)).toMatchObject({
      ok: true,
      envelope: { kind: 'event', eventId: 'e2' },
    });
    const bad = messageEvent({ token: 'guess', text: 'hi' });
    expect(decode(JSON.stringify(bad), {}, null)).toMatchObject({ ok: false, status: 401 });
  });

  it('answers a plain challenge', () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'abc', token: TOKEN });
    expect(decode(body, {}, null)).toEqual({ ok: true, envelope: { kind: 'challenge', challenge: 'abc' } });
  });

  it('cannot read an encrypted body: 400', () => {
    const req = feishuRequest(messageEvent({ token: TOKEN, text: 'hi' }), 'some key');
    expect(decode(req.body, {}, null)).toMatchObject({ ok: false, status: 400 });
  });
});
