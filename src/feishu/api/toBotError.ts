/**
 * Turns whatever a Feishu call produced — a returned body with a non-zero
 * code, an AxiosError for HTTP 4xx/5xx, a timeout, a socket error, the SDK's
 * plain Error when the token could not be fetched — into one BotError.
 */
import { z } from 'zod';
import { BotError } from '../../domain/errors.js';

const errorBodySchema = z.looseObject({
  code: z.number(),
  msg: z.string().optional(),
  error: z
    .looseObject({
      log_id: z.string().optional(),
      logid: z.string().optional(),
      permission_violations: z
        .array(z.looseObject({ subject: z.string().optional(), scope: z.string().optional() }))
        .optional(),
    })
    .optional(),
});

type Headers = Record<string, unknown> | undefined;

function header(headers: Headers, name: string): string | undefined {
  const value = headers?.[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A body Feishu answered with, whose `code` is not 0. */
export function errorFromBody(body: unknown, httpStatus?: number, headers?: Headers): BotError {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) {
    return new BotError(
      httpStatus ? 'feishu_http' : 'bad_response',
      `Feishu answered HTTP ${httpStatus ?? 200} without a code`,
      {
        httpStatus,
        logId: header(headers, 'x-tt-logid'),
        retryAfterMs: retryAfter(headers),
      },
    );
  }
  const { code, msg, error } = parsed.data;
  const scopes = error?.permission_violations
    ?.map((v) => v.subject ?? v.scope)
    .filter((s): s is string => s !== undefined);
  return new BotError('feishu_api', msg ?? `code ${code}`, {
    feishuCode: code,
    httpStatus,
    logId: error?.log_id ?? error?.logid ?? header(headers, 'x-tt-logid'),
    retryAfterMs: retryAfter(headers),
    missingScopes: scopes && scopes.length > 0 ? scopes : undefined,
  });
}

function retryAfter(headers: Headers): number | undefined {
  const seconds = Number(header(headers, 'x-ogw-ratelimit-reset'));
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);
const TOKEN_ERROR = /failed to get tenant_access_token, code: (\d+), msg: (.*)$/;

interface AxiosLike {
  isAxiosError: true;
  code?: string;
  message: string;
  response?: { status: number; data: unknown; headers?: Headers };
}

function isAxiosLike(e: unknown): e is AxiosLike {
  return typeof e === 'object' && e !== null && (e as { isAxiosError?: unknown }).isAxiosError === true;
}

/** Anything thrown by an SDK call. */
export function toBotError(e: unknown): BotError {
  if (e instanceof BotError) return e;
  if (isAxiosLike(e)) {
    if (e.response) return errorFromBody(e.response.data, e.response.status, e.response.headers);
    if (e.code && TIMEOUT_CODES.has(e.code)) return new BotError('timeout', e.message, { cause: e });
    return new BotError('network', e.message, { cause: e });
  }
  if (e instanceof Error) {
    const token = TOKEN_ERROR.exec(e.message);
    if (token && token[1] !== undefined && /^\d+$/.test(token[1])) {
      return new BotError('feishu_api', token[2] ?? e.message, { feishuCode: Number(token[1]) });
    }
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return new BotError('network', e.message, { cause: e });
    return new BotError('bad_response', e.message, { cause: e });
  }
  return new BotError('bad_response', String(e));
}
