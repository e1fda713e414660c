/**
 * The environment variables the bot reads: each one's rule (zod), and where
 * its value comes from, for the message that stops start-up when it is
 * missing or malformed.
 */
import { z } from 'zod';
import { assertTimeZone } from '../cards/format.js';
import { BotError } from '../domain/errors.js';

const CONSOLE = 'Feishu developer console (https://open.feishu.cn/app) → your app';
export const WHERE: Record<string, string> = {
  FEISHU_APP_ID: `${CONSOLE} → Credentials & Basic Info (凭证与基础信息) → App ID, like cli_a1b2c3d4e5f6`,
  FEISHU_APP_SECRET: `${CONSOLE} → Credentials & Basic Info (凭证与基础信息) → App Secret`,
  FEISHU_VERIFICATION_TOKEN: `${CONSOLE} → Events & Callbacks (事件与回调) → Encryption Strategy (加密策略) → Verification Token`,
  FEISHU_ENCRYPT_KEY: `${CONSOLE} → Events & Callbacks (事件与回调) → Encryption Strategy (加密策略) → Encrypt Key`,
  FEISHU_DOMAIN:
    '"feishu" (open.feishu.cn, the default), "lark" (open.larksuite.com) or a base URL such as https://open.feishu.cn',
  PORT: 'a TCP port number, default 3000',
  HOST: 'the address to listen on; default 0.0.0.0 (every interface), and 127.0.0.1 in demo mode',
  OPS_PORT: 'a TCP port for /readyz and /metrics alone; unset, they are served on PORT',
  OPS_HOST: 'the address OPS_PORT listens on, default 127.0.0.1',
  FEISHU_TOKEN_ONLY:
    'on to run without FEISHU_ENCRYPT_KEY, checking only the verification token (Feishu then neither signs nor encrypts events); off by default',
  NODE_ENV: 'production makes missing Feishu credentials an error instead of starting the demo',
  BOT_TIME_ZONE: 'an IANA time zone such as Asia/Shanghai (the default) or Europe/London',
  FEISHU_HTTP_TIMEOUT_MS: 'milliseconds to wait for Feishu before giving up, 1000–60000, default 10000',
  LOG_LEVEL: 'one of fatal, error, warn, info, debug, trace, silent; default info',
  BOT_DB_PATH:
    'a file path for the embedded SQLite store, default ./data/feishu-reads-bot.db (the demo keeps its own demo.db in the same folder)',
  QUEUE_MAX_PENDING: 'how many commands may wait in all, default 5000',
  CHAT_MAX_PENDING: 'how many commands one chat may have waiting, default 20',
  USER_COMMANDS_PER_MINUTE: 'how many commands one person may send a minute, default 10',
  SHUTDOWN_DEADLINE_MS: 'milliseconds to finish running work on SIGTERM/SIGINT, default 20000',
  ACCESS_POLICY: 'everyone (default), allowlist (ACCESS_ALLOW_USERS / ACCESS_ALLOW_DEPARTMENTS) or group_admins',
  ACCESS_ALLOW_USERS: 'comma-separated open_ids (ou_…) or user_ids',
  ACCESS_ALLOW_DEPARTMENTS: 'comma-separated open department ids (od-…)',
  SENDERS: 'comma-separated open_ids (ou_…) or user_ids of the people who may send batch messages with /send',
  READS_FRESH_MS: 'milliseconds a snapshot answers repeated queries without a new call, 0–60000, default 5000',
  PLAYGROUND:
    'on or off; default on in demo mode, off otherwise. On outside demo mode only with FEISHU_DOMAIN set to a fake Open API on 127.0.0.1 or localhost',
  FEISHU_EVENT_MODE:
    'webhook (the default: Feishu posts events to /webhook/event) or websocket (long connection: no public URL needed)',
  FEISHU_FORWARD_URL:
    'an http:// or https:// URL of another integration of the same app (its event or callback endpoint), which gets what the bot does not act on',
  REDIS_URL:
    'a redis:// or rediss:// URL such as redis://redis:6379, for several replicas sharing one state; unset for one replica with its SQLite file',
};

export const CREDENTIAL_VARS = [
  'FEISHU_APP_ID',
  'FEISHU_APP_SECRET',
  'FEISHU_VERIFICATION_TOKEN',
  'FEISHU_ENCRYPT_KEY',
] as const;
export const REQUIRED_VARS = ['FEISHU_APP_ID', 'FEISHU_APP_SECRET', 'FEISHU_VERIFICATION_TOKEN'] as const;

const DOMAINS: Record<string, string> = { feishu: 'https://open.feishu.cn', lark: 'https://open.larksuite.com' };
export const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const nonEmpty = z.string().trim().min(1);
const envSchema = z.object({
  FEISHU_APP_ID: nonEmpty.regex(/^cli_[A-Za-z0-9]+$/, 'must look like cli_a1b2c3d4e5f6').optional(),
  FEISHU_APP_SECRET: nonEmpty.optional(),
  FEISHU_VERIFICATION_TOKEN: nonEmpty.optional(),
  FEISHU_ENCRYPT_KEY: nonEmpty.optional(),
  FEISHU_DOMAIN: z
    .string()
    .trim()
    .default('feishu')
    .transform((v, ctx) => {
      const known = DOMAINS[v.toLowerCase()];
      if (known) return known;
      try {
        const url = new URL(v);
        // The app secret goes to this URL: in the clear only to this machine (a fake Open API).
        if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
          return v.replace(/\/+$/, '');
        }
      } catch {
        /* reported below */
      }
      ctx.addIssue({
        code: 'custom',
        message: 'must be feishu, lark, an https:// URL, or an http:// URL on this machine (127.0.0.1, localhost)',
      });
      return z.NEVER;
    }),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).optional(),
  OPS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  OPS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  NODE_ENV: z.string().trim().optional(),
  FEISHU_TOKEN_ONLY: z.enum(['on', 'off']).default('off'),
  BOT_TIME_ZONE: z
    .string()
    .trim()
    .default('Asia/Shanghai')
    .refine((tz) => {
      try {
        assertTimeZone(tz);
        return true;
      } catch {
        return false;
      }
    }, 'is not a known time zone'),
  FEISHU_HTTP_TIMEOUT_MS: z.coerce.number().int().min(1000).max(60000).default(10000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BOT_DB_PATH: z.string().trim().min(1).optional(),
  QUEUE_MAX_PENDING: z.coerce.number().int().min(1).max(1_000_000).default(5000),
  CHAT_MAX_PENDING: z.coerce.number().int().min(1).max(10_000).default(20),
  USER_COMMANDS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  SHUTDOWN_DEADLINE_MS: z.coerce.number().int().min(0).max(600_000).default(20_000),
  ACCESS_POLICY: z.enum(['everyone', 'allowlist', 'group_admins']).default('everyone'),
  ACCESS_ALLOW_USERS: z.string().default(''),
  ACCESS_ALLOW_DEPARTMENTS: z.string().default(''),
  SENDERS: z.string().default(''),
  READS_FRESH_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
  PLAYGROUND: z.enum(['on', 'off']).optional(),
  FEISHU_EVENT_MODE: z.enum(['webhook', 'websocket']).default('webhook'),
  FEISHU_FORWARD_URL: z
    .string()
    .trim()
    .refine((v) => {
      try {
        return ['http:', 'https:'].includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, 'must be an http:// or https:// URL')
    .optional(),
  REDIS_URL: z
    .string()
    .trim()
    .refine((v) => {
      try {
        const url = new URL(v);
        // `redis:6379` parses too, as a scheme and a path: without a host there is no server to reach.
        return ['redis:', 'rediss:'].includes(url.protocol) && url.hostname !== '';
      } catch {
        return false;
      }
    }, 'must be a redis:// or rediss:// URL')
    .optional(),
});

/** Every variable the bot reads: app.json and docs/operations.md must list each (a test checks). */
export const ENV_VARS: readonly string[] = Object.keys(envSchema.shape);

/** Treats empty strings as unset, as shells and .env files often leave them. */
export function present(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== ''),
  );
}

export type Env = z.infer<typeof envSchema>;

export function parseEnv(env: Record<string, string>): Env {
  const parsed = envSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    return `  ${name} ${issue.message}. Expected: ${WHERE[name] ?? 'see docs/operations.md'}`;
  });
  throw new BotError('config', `Invalid configuration:\n${lines.join('\n')}`);
}
