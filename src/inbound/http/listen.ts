/**
 * The HTTP server the bot listens with, with limits that Node's defaults
 * lack: a client that sends headers and part of a body, then stalls, must
 * not hold a socket for minutes, and nobody may open sockets without end.
 * Its requests and responses are born with the Express app's prototypes.
 */
import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { Express } from 'express';

export interface HttpLimits {
  /** The whole request, headers and body, must arrive within this. */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  /** An idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Connections open at once; more are refused at once. */
  maxConnections: number;
}

export const HTTP_LIMITS: HttpLimits = {
  requestTimeoutMs: 15_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_000,
};

/**
 * A constructor for Node to `new`: its objects have `prototype`, and Node's
 * own constructor `init` (a plain function, so it can be called on them)
 * sets them up.
 */
function withPrototype<C extends typeof IncomingMessage | typeof ServerResponse>(init: C, prototype: object): C {
  const setUp = init as unknown as (this: object, a: unknown, b: unknown) => void;
  function construct(this: object, a: unknown, b: unknown): void {
    setUp.call(this, a, b);
  }
  construct.prototype = prototype;
  return construct as unknown as C;
}

/**
 * Express gives every request and response its own prototypes
 * (Object.setPrototypeOf at the start of app.handle). Objects whose
 * prototype changes after they were made defeat V8's inline caches: every
 * later property access on them went to V8's runtime, a large share of
 * Express's CPU (docs/performance.md). Made with the app's prototypes from
 * the start, as here, both objects keep their shape: Express's own swap
 * then changes nothing.
 */
export function createHttpServer(app: Express, limits: HttpLimits = HTTP_LIMITS): Server {
  const server = createServer(
    {
      IncomingMessage: withPrototype(IncomingMessage, app.request),
      ServerResponse: withPrototype(ServerResponse, app.response),
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node looks for expired requests this often (30 s by default, which would triple a 15 s limit).
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    app,
  );
  server.maxConnections = limits.maxConnections;
  return server;
}
