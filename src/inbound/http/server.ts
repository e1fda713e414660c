/**
 * The bot's one HTTP entry: an Express app with the two webhooks (see
 * webhooks.ts), health, readiness, metrics and whatever `extend` adds (the
 * playground, the demo), then a JSON 404 and a JSON error handler for all of
 * them — the "Express event webhook" of the design.
 *
 * The webhooks used to bypass Express for bare node:http. With requests made
 * with the app's prototypes (listen.ts), Express costs them little
 * (docs/performance.md), and buys one app in which to read which routes
 * exist, in which order, and how every request is refused.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Scrape } from '../../domain/metrics.js';
import { addWebhooks, type WebhookDeps } from './webhooks.js';

/** What /readyz answers (src/app/readiness.ts decides it). */
export interface Readiness {
  /** Everything /readyz checks. */
  ready: boolean;
  checks: Record<string, boolean>;
  /** What else /readyz reports without failing on it (the self-check's missing scopes). */
  details?: Record<string, unknown>;
}

export interface HttpAppDeps extends WebhookDeps {
  readiness: () => Readiness;
  /** GET /metrics: Prometheus text format. */
  metrics?: () => Promise<Scrape>;
  /** Extra routes (demo mode). */
  extend?: (app: express.Express) => void;
  /** Whether events come in here (false in long-connection mode: the webhook paths then answer 404). Default true. */
  webhooks?: boolean;
  /** Whether /readyz and /metrics are served here (false when they have a port of their own). Default true. */
  ops?: boolean;
}

type OpsDeps = Pick<HttpAppDeps, 'readiness' | 'metrics' | 'logger'>;

/** The bot's HTTP request handler: an Express app, for createHttpServer (listen.ts). */
export function createFrontDoor(deps: HttpAppDeps): express.Express {
  const app = newApp();
  // First, so that nothing `extend` adds (a global body parser, say) sees a webhook body before its signature is checked.
  if (deps.webhooks !== false) addWebhooks(app, deps);
  if (deps.ops !== false) addOpsRoutes(app, deps);
  else addHealth(app);
  deps.extend?.(app);
  return finish(app, deps.logger);
}

/** Readiness and metrics on a port of their own (OPS_PORT), away from the public one. */
export function createOpsApp(deps: OpsDeps): express.Express {
  const app = newApp();
  addOpsRoutes(app, deps);
  return finish(app, deps.logger);
}

function newApp(): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag'); // nobody caches these answers; hashing each webhook answer would cost CPU for nothing
  return app;
}

/** Alive: the process answers. Load balancers ask it on the public port. */
function addHealth(app: express.Express): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
}

/** Health, readiness (it can do its job: see Readiness) and metrics. */
function addOpsRoutes(app: express.Express, deps: OpsDeps): void {
  addHealth(app);
  app.get('/readyz', (_req, res) => {
    const { ready, checks, details } = deps.readiness();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks, ...details });
  });
  const { metrics } = deps;
  if (metrics)
    app.get(
      '/metrics',
      (_req, res, next) => void metrics().then(({ contentType, text }) => res.type(contentType).send(text), next),
    );
}

/** A JSON 404 and a JSON error handler after every route. */
function finish(app: express.Express, logger: OpsDeps['logger']): express.Express {
  // Also every other method on the webhook paths: GET, HEAD, OPTIONS (before Express's automatic OPTIONS answer).
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use(
    (err: { status?: number; type?: string; message?: string }, req: Request, res: Response, _next: NextFunction) => {
      const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
      if (status === 500) logger.error({ err, path: req.originalUrl }, 'unexpected error in HTTP handler');
      if (res.headersSent) {
        // Too late for an error answer: end a half-written one for good, but never cut off one already complete.
        if (!res.writableEnded) res.destroy();
        return;
      }
      res.status(status).json({
        error: status === 413 ? 'body too large' : status === 500 ? 'internal error' : (err.type ?? 'bad request'),
      });
    },
  );
  return app;
}
