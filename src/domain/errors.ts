/**
 * The one error type of the bot. `code` says which kind of failure it is;
 * Feishu failures split into "the API said no" (`feishu_api`, with the Feishu
 * code) and "we never got an answer" (`timeout`, `network`).
 */
export type ErrorCode =
  | 'feishu_api' // Feishu answered with a non-zero code (HTTP 200 or 4xx)
  | 'feishu_http' // Feishu answered with an HTTP error and no code (5xx, gateway errors)
  | 'timeout' // no answer within the configured timeout
  | 'network' // connection refused, reset, DNS failure...
  | 'bad_response' // an answer we could not understand
  | 'config' // invalid configuration at start-up
  | 'cancelled' // work dropped because the bot is shutting down (it stays journaled)
  | 'unavailable' // the shared state (Redis) cannot be reached (the work stays journaled)
  | 'feishu_unavailable' // Feishu is down: the circuit breaker is open, and the call was not sent
  | 'waiting_for_feishu' // a command whose Feishu call failed for now (an outage, a rate limit): it stays journaled and is tried again
  | 'internal'; // anything else: a bug; the original error is the cause, with its stack

export interface BotErrorDetails {
  /** Feishu's own error code, e.g. 230030. */
  feishuCode?: number;
  httpStatus?: number;
  /** Feishu's log id: support can trace the request with it. */
  logId?: string;
  /** From a 429's `x-ogw-ratelimit-reset`, in milliseconds. */
  retryAfterMs?: number;
  /** Scopes Feishu says the app lacks (error 99991672). */
  missingScopes?: string[];
  cause?: unknown;
}

export class BotError extends Error {
  readonly code: ErrorCode;
  readonly feishuCode?: number;
  readonly httpStatus?: number;
  readonly logId?: string;
  readonly retryAfterMs?: number;
  readonly missingScopes?: string[];

  constructor(code: ErrorCode, message: string, details: BotErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'BotError';
    this.code = code;
    this.feishuCode = details.feishuCode;
    this.httpStatus = details.httpStatus;
    this.logId = details.logId;
    this.retryAfterMs = details.retryAfterMs;
    this.missingScopes = details.missingScopes;
  }
}

/**
 * The BotError a caught value is, or an `internal` one that keeps it as its
 * cause. Feishu's failures are classified where Feishu is called (feishu/);
 * anywhere else an unexpected throw is a bug, and its stack must reach the log.
 */
export function asBotError(e: unknown): BotError {
  if (e instanceof BotError) return e;
  return new BotError('internal', e instanceof Error ? e.message : String(e), { cause: e });
}

/** Work that did not fail but has to wait (shutting down, shared state or Feishu unreachable): it stays journaled and is done later. */
export function isPostponed(e: BotError): boolean {
  return e.code === 'cancelled' || e.code === 'unavailable' || e.code === 'waiting_for_feishu';
}
