/**
 * The two webhooks, POST /webhook/event and POST /webhook/card: Express
 * routes like every other, so the app is the bot's one HTTP entry.
 *
 * Each route reads the raw body itself, once, with readBody (signatures are
 * over the exact bytes; the 1 MB cap also holds after gzip, deflate or br),
 * rather than with express.json() or express.raw(), which would parse twice or
 * differ in limits and encodings. The pure decoder verifies, decrypts and
 * parses it; the route answers as soon as the event is recorded — never after
 * calling Feishu. What a route throws or rejects with goes to the app's error
 * handler: 500, never an unhandled rejection.
 *
 * Paths are matched as Express 5 matches them by default: in any case, with
 * or without one trailing slash, with a query string, and in the absolute
 * form (POST http://host/webhook/event) that some proxies send.
 */
import type { IncomingMessage } from 'node:http';
import type { Express, Request, Response } from 'express';
import type { Logger } from 'pino';
import { decodeRequest, type DecodeOptions, type Envelope } from './decodeRequest.js';
import { readBody } from './readBody.js';
import type { EventInbox } from '../eventInbox.js';
import { headersToForward, type Forward, type Forwarded } from '../forwarder.js';

/** The webhook is one of the two receivers of the event entry (the long connection is the other). */
export interface WebhookDeps extends EventInbox {
  decode: DecodeOptions;
  now: () => number;
  logger: Logger;
  /** FEISHU_FORWARD_URL: where what the bot does not act on goes, byte for byte; unset, it is acknowledged. */
  forward?: Forward;
}

/** A verified request: what it carries, and the bytes and headers it came with (to pass on as they came). */
interface Received {
  envelope: Exclude<Envelope, { kind: 'challenge' }>;
  raw: Buffer;
  headers: Record<string, string>;
}

const BODY_LIMIT = 1024 * 1024;

/**
 * A JSON answer, written directly rather than with res.json(): Express's
 * send() sets the type, the length and checks freshness, a good part of what
 * res.json() cost a request under load (docs/performance.md), which an
 * answer of a few bytes to Feishu does not need. `close`: the connection ends
 * after the answer (Node then destroys the socket), e.g. when a body was
 * refused unread.
 */
function answer(res: Response, status: number, body: object, close = false): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  };
  if (close) headers.connection = 'close';
  res.writeHead(status, headers).end(text);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The media type alone, any case. Not req.is(): that also wants a body announced, and would turn an empty body's 400 into a 415. */
function isJson(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (!type) return false;
  const semi = type.indexOf(';');
  return (semi === -1 ? type : type.slice(0, semi)).trim().toLowerCase() === 'application/json';
}

/** Adds both webhook routes. Call before anything that could read a body (a global body parser from `extend`). */
export function addWebhooks(app: Express, deps: WebhookDeps): void {
  /** The verified request; or undefined once a refusal or a challenge (always the bot's to answer) has been answered. */
  async function receive(req: Request, res: Response): Promise<Received | undefined> {
    if (!isJson(req)) return void answer(res, 415, { error: 'content type must be application/json' }, true);
    const read = await readBody(req, BODY_LIMIT);
    if (!read.ok) return void answer(res, read.status, { error: read.reason }, true);
    const decoded = decodeRequest(
      read.body,
      {
        signature: header(req, 'x-lark-signature'),
        timestamp: header(req, 'x-lark-request-timestamp'),
        nonce: header(req, 'x-lark-request-nonce'),
      },
      deps.decode,
      deps.now(),
    );
    if (!decoded.ok) {
      deps.logger.warn(
        {
          status: decoded.status,
          reason: decoded.reason,
          detail: decoded.detail,
          ip: req.socket.remoteAddress,
          path: req.originalUrl,
        },
        'webhook request refused',
      );
      return void answer(res, decoded.status, { error: decoded.reason });
    }
    const { envelope } = decoded;
    if (envelope.kind === 'challenge') return void answer(res, 200, { challenge: envelope.challenge });
    return { envelope, raw: read.body, headers: headersToForward(req.headers) };
  }

  /** Not the bot's: passed on with the upstream's answer relayed, or, with nowhere to pass it, acknowledged. */
  async function passOn(res: Response, kind: 'event' | 'callback', received: Received): Promise<void> {
    if (!deps.forward) return answer(res, 200, {});
    const upstream: Forwarded = await deps.forward(kind, received.raw, received.headers);
    res.status(upstream.status).type(upstream.contentType).send(upstream.body);
  }

  app.post('/webhook/event', async (req, res) => {
    const received = await receive(req, res);
    if (!received) return;
    // Feishu redelivers later; nothing is lost.
    if (!deps.accepting()) return answer(res, 503, { error: 'not accepting events right now' });
    const { envelope } = received;
    if (envelope.kind === 'legacy' || (deps.forward && !deps.actsOn(envelope))) return passOn(res, 'event', received);
    try {
      await deps.onEvent(envelope);
    } catch (e) {
      // Not recorded, so not lost: Feishu delivers it again later.
      deps.logger.warn({ err: e, event_id: envelope.eventId }, 'could not record the event; answered 503');
      return answer(res, 503, { error: 'temporarily unavailable' });
    }
    answer(res, 200, {});
  });

  app.post('/webhook/card', async (req, res) => {
    const received = await receive(req, res);
    if (!received) return;
    const { envelope } = received;
    if (
      envelope.kind === 'legacy' ||
      envelope.eventType !== 'card.action.trigger' ||
      (deps.forward && !deps.actsOn(envelope))
    )
      return passOn(res, 'callback', received);
    let reply: object;
    try {
      reply = await deps.onCardAction(envelope);
    } catch (e) {
      deps.logger.error({ err: e, event_id: envelope.eventId }, 'unexpected error in the card callback');
      return answer(res, 500, { error: 'internal error' });
    }
    answer(res, 200, reply);
  });
}
