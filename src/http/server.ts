/**
 * The HTTP front door. The two webhooks are served on node:http directly:
 * they take every event Feishu sends, and a framework's routing and response
 * helpers would cost as much CPU as verifying the event. Everything else
 * (health, metrics, the playground) goes through Express.
 *
 * A webhook reads the raw body (signatures are over the exact bytes), hands
 * it to the pure decoder, and answers as soon as the event is recorded —
 * never after calling Feishu.
 */
import { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { decodeRequest, type DecodeOptions } from './decodeRequest.js';
import { readBody } from './readBody.js';
import type { Scrape } from '../metrics/metrics.js';
import type { EventEntry, RoutedEvent } from '../events/entry.js';
import type { Readiness } from '../lifecycle/readiness.js';

export interface HttpAppDeps extends EventEntry {
  decode: DecodeOptions;
  readiness: () => Readiness;
  now: () => number;
  logger: Logger;
  /** GET /metrics: Prometheus text format. */
  metrics?: () => Promise<Scrape>;
  /** Extra routes (demo mode). */
  extend?: (app: express.Express) => void;
}

const BODY_LIMIT = 1024 * 1024;

/** `close`: the connection ends after the answer (Node then destroys the socket), e.g. when a body was refused unread. */
function send(res: ServerResponse, status: number, body: object, close = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Which webhook a request is for: the path without query or trailing slash, any case, as Express matched it. */
function webhookOf(req: IncomingMessage): 'event' | 'card' | undefined {
  if (req.method !== 'POST' || !req.url) return undefined;
  // A proxy may send the absolute form (POST http://host/webhook/event).
  const url = req.url.startsWith('/') ? req.url : (URL.parse(req.url)?.pathname ?? '');
  const q = url.indexOf('?');
  let path = (q === -1 ? url : url.slice(0, q)).toLowerCase();
  if (path.endsWith('/')) path = path.slice(0, -1);
  return path === '/webhook/event' ? 'event' : path === '/webhook/card' ? 'card' : undefined;
}

function isJson(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (!type) return false;
  const semi = type.indexOf(';');
  return (semi === -1 ? type : type.slice(0, semi)).trim().toLowerCase() === 'application/json';
}

/** The bot's HTTP request handler, for `http.createServer`. */
export function createFrontDoor(deps: HttpAppDeps): RequestListener {
  const others = createOtherRoutes(deps);

  /** Verifies and decodes; answers refusals, challenges and legacy callbacks itself. */
  function verified(req: IncomingMessage, res: ServerResponse, body: Buffer): RoutedEvent | undefined {
    const decoded = decodeRequest(
      body,
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
          path: req.url,
        },
        'webhook request refused',
      );
      send(res, decoded.status, { error: decoded.reason });
      return undefined;
    }
    const { envelope } = decoded;
    if (envelope.kind === 'challenge') {
      send(res, 200, { challenge: envelope.challenge });
      return undefined;
    }
    if (envelope.kind === 'legacy') {
      send(res, 200, {});
      return undefined;
    }
    return envelope;
  }

  function onEvent(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const envelope = verified(req, res, body);
    if (!envelope) return;
    if (!deps.accepting()) {
      // Feishu redelivers later; nothing is lost.
      send(res, 503, { error: 'not accepting events right now' });
      return;
    }
    deps.onEvent(envelope).then(
      () => send(res, 200, {}),
      (e: unknown) => {
        // Not recorded, so not lost: Feishu delivers it again later.
        deps.logger.warn({ err: e, event_id: envelope.eventId }, 'could not record the event; answered 503');
        send(res, 503, { error: 'temporarily unavailable' });
      },
    );
  }

  function onCard(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const envelope = verified(req, res, body);
    if (!envelope) return;
    if (envelope.eventType !== 'card.action.trigger') {
      send(res, 200, {});
      return;
    }
    deps.onCardAction(envelope).then(
      (answer) => send(res, 200, answer),
      (e: unknown) => {
        deps.logger.error({ err: e, event_id: envelope.eventId }, 'unexpected error in the card callback');
        send(res, 500, { error: 'internal error' });
      },
    );
  }

  return (req, res) => {
    const hook = webhookOf(req);
    if (!hook) return void others(req, res);
    if (!isJson(req)) return send(res, 415, { error: 'content type must be application/json' }, true);
    readBody(req, BODY_LIMIT)
      .then((read) => {
        if (!read.ok) send(res, read.status, { error: read.reason }, true);
        else (hook === 'event' ? onEvent : onCard)(req, res, read.body);
      })
      .catch((e: unknown) => {
        deps.logger.error({ err: e, path: req.url }, 'unexpected error in a webhook');
        if (!res.headersSent) send(res, 500, { error: 'internal error' });
      });
  };
}

/** Health, readiness, metrics and whatever `extend` adds (the playground, the demo). */
function createOtherRoutes(deps: HttpAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag'); // health and metrics answers are never cached

  // Alive: the process answers. Ready: it can do its job (see Readiness).
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const { ready, checks } = deps.readiness();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });

  const { metrics } = deps;
  if (metrics)
    app.get(
      '/metrics',
      (_req, res, next) => void metrics().then(({ contentType, text }) => res.type(contentType).send(text), next),
    );

  deps.extend?.(app);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use(
    (err: { status?: number; type?: string; message?: string }, _req: Request, res: Response, _next: NextFunction) => {
      const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
      if (status === 500) deps.logger.error({ err }, 'unexpected error in HTTP handler');
      res.status(status).json({
        error: status === 413 ? 'body too large' : status === 500 ? 'internal error' : (err.type ?? 'bad request'),
      });
    },
  );
  return app;
}
