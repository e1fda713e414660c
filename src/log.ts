/** Structured logs (pino). Secrets are redacted wherever they might be logged. */
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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}
