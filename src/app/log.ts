/** Structured logs (pino). Secrets never reach them: redacted paths, and errors reduced to what is safe. */
import { pino, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'appSecret',
  '*.appSecret',
  'encryptKey',
  '*.encryptKey',
  'verificationToken',
  '*.verificationToken',
  'headers.authorization',
  '*.headers.authorization',
  'headers.Authorization',
  '*.headers.Authorization',
];

/**
 * An AxiosError carries the request's config: the bearer token in its
 * headers, the app secret in a token request's body. Keep only the safe parts.
 */
function safeError(e: unknown): unknown {
  if (!(e instanceof Error)) return e;
  const code = (e as { code?: unknown }).code;
  return { type: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}), stack: e.stack };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, serializers: { err: safeError } },
    destination,
  );
}
