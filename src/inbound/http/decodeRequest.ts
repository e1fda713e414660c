/**
 * Everything between the raw bytes of a webhook request and a trusted
 * envelope: signature, decryption, JSON, verification token. Pure — no I/O,
 * no side effect — so each refusal can be tested on its own and the server
 * can refuse before anything happens.
 */
import { z } from 'zod';
import { decryptPayload } from './cipher.js';
import { safeEqual, verifySignature } from './signature.js';

export interface DecodeOptions {
  verificationToken: string;
  /** Without one, Feishu neither signs nor encrypts: the token is the only check. */
  encryptKey?: string;
}

export interface RequestHeaders {
  signature?: string;
  timestamp?: string;
  nonce?: string;
}

export type Envelope =
  | { kind: 'challenge'; challenge: string }
  | { kind: 'event'; eventId: string; eventType: string; event: unknown }
  /** Schema 1.0 callbacks: verified, acknowledged, not acted upon. */
  | { kind: 'legacy'; eventType: string };

/**
 * How old a signed request may be. Feishu does not document whether a
 * redelivery (up to ~7.1 h after the first try) is signed afresh, so the
 * window must let an original-timestamp redelivery through; it stays shorter
 * than the 8 h de-duplication, so any replay inside it is caught as a
 * duplicate and any older one is refused here.
 */
export const REPLAY_WINDOW_MS = 7.5 * 60 * 60 * 1000;
/** Allowance for a sender clock ahead of ours. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** X-Lark-Request-Timestamp is in seconds; milliseconds are tolerated. */
function timestampMs(header: string): number | undefined {
  if (!/^\d{1,16}$/.test(header)) return undefined;
  const n = Number(header);
  return n >= 1e12 ? n : n * 1000;
}

/** `reason` is what the sender is told; `detail`, when there is one, goes only to the server log. */
export type Decoded =
  { ok: true; envelope: Envelope } | { ok: false; status: 400 | 401; reason: string; detail?: string };

const challengeSchema = z.object({ type: z.literal('url_verification'), challenge: z.string(), token: z.string() });
const v2Schema = z.object({
  schema: z.literal('2.0'),
  header: z.object({ event_id: z.string().min(1), event_type: z.string(), token: z.string() }),
  event: z.unknown(),
});
const v1Schema = z.object({ token: z.string(), type: z.string(), event: z.object({ type: z.string() }).optional() });

const refuse = (status: 400 | 401, reason: string, detail?: string): Decoded => ({ ok: false, status, reason, detail });

/**
 * The one answer to an unsigned encrypted body that is not a good challenge.
 * Telling bad padding from bad JSON (or from a good but unsigned event) would
 * be an oracle that decrypts a captured body a byte at a time.
 */
export const UNVERIFIED = 'request cannot be verified';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The decrypted JSON object, or why there is none. */
function openPayload(encrypted: string, encryptKey: string): object | string {
  let plaintext: string;
  try {
    plaintext = decryptPayload(encrypted, encryptKey);
  } catch {
    return 'cannot decrypt body';
  }
  const body = parseJson(plaintext);
  return typeof body === 'object' && body !== null ? body : 'decrypted body is not JSON';
}

/** Only the URL challenge comes encrypted but unsigned; anything else gets the same refusal, whatever is wrong with it. */
function unsignedChallenge(opened: object | string, verificationToken: string): Decoded {
  if (typeof opened === 'string') return refuse(401, UNVERIFIED, opened);
  const challenge = readChallenge(opened, verificationToken);
  if (challenge?.ok) return challenge;
  return refuse(401, UNVERIFIED, challenge?.reason ?? 'unsigned body that is not a challenge');
}

/** The URL challenge, answered only with the right token; undefined when the body is not one. */
function readChallenge(body: object, verificationToken: string): Decoded | undefined {
  // Look at the marker field before parsing: a failed zod parse is costly, and this runs for every event.
  const challenge =
    (body as { type?: unknown }).type === 'url_verification' ? challengeSchema.safeParse(body) : undefined;
  if (!challenge?.success) return undefined;
  if (!safeEqual(challenge.data.token, verificationToken)) return refuse(401, 'bad verification token');
  return { ok: true, envelope: { kind: 'challenge', challenge: challenge.data.challenge } };
}

export function decodeRequest(rawBody: Buffer, headers: RequestHeaders, options: DecodeOptions, now: number): Decoded {
  const { encryptKey, verificationToken } = options;
  const signed = headers.signature !== undefined || headers.timestamp !== undefined || headers.nonce !== undefined;
  if (encryptKey && signed) {
    if (!headers.signature || headers.timestamp === undefined || headers.nonce === undefined) {
      return refuse(401, 'incomplete signature headers');
    }
    if (!verifySignature(headers.signature, headers.timestamp, headers.nonce, encryptKey, rawBody)) {
      return refuse(401, 'bad signature');
    }
    const sentAt = timestampMs(headers.timestamp);
    if (sentAt === undefined || sentAt < now - REPLAY_WINDOW_MS || sentAt > now + CLOCK_SKEW_MS) {
      return refuse(401, 'timestamp outside the replay window');
    }
  }

  const parsed = parseJson(rawBody.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return refuse(400, 'body is not a JSON object');
  let body: object = parsed;

  const encrypted = (body as { encrypt?: unknown }).encrypt;
  if (encrypted !== undefined) {
    if (!encryptKey) return refuse(400, 'encrypted body but no FEISHU_ENCRYPT_KEY configured');
    if (typeof encrypted !== 'string') return refuse(400, 'encrypt is not a string');
    const opened = openPayload(encrypted, encryptKey);
    if (!signed) return unsignedChallenge(opened, verificationToken);
    if (typeof opened === 'string') return refuse(400, opened);
    body = opened;
  } else if (encryptKey && !signed) {
    // With an encrypt key Feishu encrypts everything; a plain, unsigned body is not from Feishu.
    return refuse(401, 'unsigned plain body while an encrypt key is configured');
  }

  const challenge = readChallenge(body, verificationToken);
  if (challenge) return challenge;
  const v2 = (body as { schema?: unknown }).schema === '2.0' ? v2Schema.safeParse(body) : undefined;
  if (v2?.success) {
    if (!safeEqual(v2.data.header.token, verificationToken)) return refuse(401, 'bad verification token');
    const { event_id, event_type } = v2.data.header;
    return { ok: true, envelope: { kind: 'event', eventId: event_id, eventType: event_type, event: v2.data.event } };
  }
  const v1 = v1Schema.safeParse(body);
  if (v1.success) {
    if (!safeEqual(v1.data.token, verificationToken)) return refuse(401, 'bad verification token');
    return { ok: true, envelope: { kind: 'legacy', eventType: v1.data.event?.type ?? v1.data.type } };
  }
  return refuse(400, 'not a Feishu event or challenge');
}
