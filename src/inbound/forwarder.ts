/**
 * FEISHU_FORWARD_URL: what the bot does not act on goes on to another
 * integration of the same app (an app has one event URL, one callback URL,
 * and each long-connection event goes to one client). The request goes on as
 * it came — the same bytes, with its X-Lark-* headers — so the upstream
 * checks it as it checks Feishu; its answer comes back to be relayed. Within
 * a budget that leaves Feishu's 3 s room; never rejects.
 */
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { ForwardKind, Metrics } from '../domain/metrics.js';

/** The upstream's time: Feishu wants an answer within 3 s, and the bot needs a moment of its own. */
export const FORWARD_BUDGET_MS = 2_500;

export interface Forwarded {
  status: number;
  body: Buffer;
  contentType: string;
}

/** Passes a request on; resolves to what to answer Feishu with. */
export type Forward = (kind: ForwardKind, body: Buffer, headers: Record<string, string>) => Promise<Forwarded>;

export interface ForwarderDeps {
  url: string;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  budgetMs?: number;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const failure = (status: number, error: string): Forwarded => ({
  status,
  body: Buffer.from(JSON.stringify({ error })),
  contentType: JSON_TYPE,
});

/** The headers that travel with the body: its type and Feishu's signature headers, whatever they are. */
export function headersToForward(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    // Node joins a repeated x- header into one string; only set-cookie comes as an array.
    if (lower.startsWith('x-lark-') && typeof value === 'string') out[lower] = value;
  }
  return out;
}

export function createForwarder(deps: ForwarderDeps): Forward {
  const budgetMs = deps.budgetMs ?? FORWARD_BUDGET_MS;
  return async (kind, body, headers) => {
    const started = deps.clock.now();
    const done = (result: string) => deps.metrics.forwarded(kind, result, (deps.clock.now() - started) / 1000);
    try {
      const res = await fetch(deps.url, {
        method: 'POST',
        headers,
        body: new Uint8Array(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(budgetMs),
      });
      const answer = Buffer.from(await res.arrayBuffer());
      done(String(res.status));
      if (res.status >= 400) deps.logger.warn({ kind, status: res.status }, 'forward target refused');
      return { status: res.status, body: answer, contentType: res.headers.get('content-type') ?? JSON_TYPE };
    } catch (e) {
      // By name: the DOMException may come from another realm, where instanceof fails.
      const timedOut = (e as { name?: unknown }).name === 'TimeoutError';
      done(timedOut ? 'timeout' : 'error');
      deps.logger.warn(
        { kind, err_msg: String(e) },
        timedOut ? 'forward target did not answer in time' : 'forward target could not be reached',
      );
      // Feishu delivers an event again after a non-200; a callback's presser sees that it failed.
      return timedOut
        ? failure(504, 'forward target did not answer in time')
        : failure(502, 'forward target unreachable');
    }
  };
}
