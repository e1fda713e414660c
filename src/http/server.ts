/**
 * The HTTP front door. Reads the raw body (signatures are over the exact
 * bytes), hands it to the pure decoder, and answers as soon as the event is
 * handed on — never after calling Feishu.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { decodeRequest, type DecodeOptions } from './decodeRequest.js';
import type { RoutedEvent } from '../events/router.js';

export interface HttpAppDeps {
  decode: DecodeOptions;
  isReady: () => boolean;
  onEvent: (event: RoutedEvent) => void;
  logger: Logger;
  /** Extra routes (demo mode). */
  extend?: (app: express.Express) => void;
}

const BODY_LIMIT = '1mb';

function headerValue(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function createHttpApp(deps: HttpAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const raw = express.raw({ type: () => true, limit: BODY_LIMIT });

  app.post('/webhook/event', raw, (req: Request, res: Response) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const decoded = decodeRequest(
      body,
      {
        signature: headerValue(req, 'x-lark-signature'),
        timestamp: headerValue(req, 'x-lark-request-timestamp'),
        nonce: headerValue(req, 'x-lark-request-nonce'),
      },
      deps.decode,
    );
    if (!decoded.ok) {
      deps.logger.warn({ status: decoded.status, reason: decoded.reason, ip: req.ip }, 'webhook request refused');
      res.status(decoded.status).json({ error: decoded.reason });
      return;
    }
    const { envelope } = decoded;
    if (envelope.kind === 'challenge') {
      res.json({ challenge: envelope.challenge });
      return;
    }
    if (envelope.kind === 'legacy') {
      res.json({});
      return;
    }
    if (!deps.isReady()) {
      // Feishu redelivers later; nothing is lost.
      res.status(503).json({ error: 'starting up' });
      return;
    }
    deps.onEvent(envelope);
    res.json({});
  });

  app.get('/healthz', (_req, res) => {
    if (deps.isReady()) res.json({ status: 'ok' });
    else res.status(503).json({ status: 'starting' });
  });

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
