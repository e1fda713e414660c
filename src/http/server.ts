/**
 * The HTTP front door. Reads the raw body (signatures are over the exact
 * bytes), hands it to the pure decoder, and answers as soon as the event is
 * handed on — never after calling Feishu.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { decodeRequest, type DecodeOptions } from './decodeRequest.js';
import type { RoutedEvent } from '../events/router.js';
import type { Scrape } from '../metrics/metrics.js';

export interface Readiness {
  /** Everything /readyz checks. */
  ready: boolean;
  checks: Record<string, boolean>;
}

export interface HttpAppDeps {
  decode: DecodeOptions;
  readiness: () => Readiness;
  /** Events are taken (false while starting or shutting down: they get 503 and Feishu redelivers). Cheap: asked on every event. */
  accepting: () => boolean;
  /** Resolves once the event is recorded (de-duplication, journal); rejects when that cannot be done now. */
  onEvent: (event: RoutedEvent) => Promise<unknown>;
  /** A card button press; resolves to the callback's answer (toast, new card). */
  onCardAction: (event: RoutedEvent) => Promise<object>;
  now: () => number;
  logger: Logger;
  /** GET /metrics: Prometheus text format. */
  metrics?: () => Promise<Scrape>;
  /** Extra routes (demo mode). */
  extend?: (app: express.Express) => void;
}

/** Where events come in, whatever carries them (the webhook, or the long connection). */
export type EventEntry = Pick<HttpAppDeps, 'accepting' | 'onEvent' | 'onCardAction'>;

const BODY_LIMIT = '1mb';

function headerValue(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function createHttpApp(deps: HttpAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag'); // nobody caches webhook answers; hashing each one costs CPU on the hot path
  const raw = express.raw({ type: () => true, limit: BODY_LIMIT });

  /** Verifies and decodes; answers refusals, challenges and legacy callbacks itself. */
  function verified(req: Request, res: Response): RoutedEvent | undefined {
    if (!req.is('application/json')) {
      res.status(415).json({ error: 'content type must be application/json' });
      return undefined;
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const decoded = decodeRequest(
      body,
      {
        signature: headerValue(req, 'x-lark-signature'),
        timestamp: headerValue(req, 'x-lark-request-timestamp'),
        nonce: headerValue(req, 'x-lark-request-nonce'),
      },
      deps.decode,
      deps.now(),
    );
    if (!decoded.ok) {
      deps.logger.warn({ status: decoded.status, reason: decoded.reason, ip: req.ip, path: req.path }, 'webhook request refused');
      res.status(decoded.status).json({ error: decoded.reason });
      return undefined;
    }
    const { envelope } = decoded;
    if (envelope.kind === 'challenge') {
      res.json({ challenge: envelope.challenge });
      return undefined;
    }
    if (envelope.kind === 'legacy') {
      res.json({});
      return undefined;
    }
    return envelope;
  }

  app.post('/webhook/card', raw, (req: Request, res: Response, next: NextFunction) => {
    const envelope = verified(req, res);
    if (!envelope) return;
    if (envelope.eventType !== 'card.action.trigger') {
      res.json({});
      return;
    }
    deps.onCardAction(envelope).then((answer) => res.json(answer), next);
  });

  app.post('/webhook/event', raw, (req: Request, res: Response) => {
    const envelope = verified(req, res);
    if (!envelope) return;
    if (!deps.accepting()) {
      // Feishu redelivers later; nothing is lost.
      res.status(503).json({ error: 'not accepting events right now' });
      return;
    }
    deps.onEvent(envelope).then(
      () => res.json({}),
      (e: unknown) => {
        // Not recorded, so not lost: Feishu delivers it again later.
        deps.logger.warn({ err: e, event_id: envelope.eventId }, 'could not record the event; answered 503');
        res.status(503).json({ error: 'temporarily unavailable' });
      },
    );
  });

  // Alive: the process answers. Ready: it can do its job (see Readiness).
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const { ready, checks } = deps.readiness();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });

  const { metrics } = deps;
  if (metrics) app.get('/metrics', (_req, res, next) => void metrics().then(({ contentType, text }) => res.type(contentType).send(text), next));

  deps.extend?.(app);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((err: { status?: number; type?: string; message?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) deps.logger.error({ err }, 'unexpected error in HTTP handler');
    res.status(status).json({ error: status === 413 ? 'body too large' : status === 500 ? 'internal error' : (err.type ?? 'bad request') });
  });
  return app;
}
