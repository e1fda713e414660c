/**
 * Environment → typed configuration. A missing or malformed value stops
 * start-up with a message naming the variable and where to find its value.
 * No Feishu credentials at all means demo mode; some but not all is an error.
 */
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { AccessPolicy } from './access/policy.js';
import { assertTimeZone } from './cards/format.js';
import type { QueueLimits } from './scheduling/admissions.js';
import { BotError } from './domain/errors.js';

export interface FeishuCredentials {
  appId: string;
  appSecret: string;
  verificationToken: string;
  /** Optional in Feishu; without it requests are neither signed nor encrypted. */
  encryptKey?: string;
}

export interface Config {
  mode: 'live' | 'demo';
  /** Undefined in demo mode: the demo supplies its own. */
  credentials?: FeishuCredentials;
  baseUrl: string;
  port: number;
  /** The address to listen on: every interface in live mode, this machine only in demo mode, unless HOST says. */
  host: string;
  /** Readiness and metrics on their own port and address, off the public one; unset, they share it. */
  ops?: { port: number; host: string };
  timeZone: string;
  httpTimeoutMs: number;
  logLevel: string;
  dbPath: string;
  limits: QueueLimits;
  shutdownDeadlineMs: number;
  access: AccessPolicy;
  freshMs: number;
  /** Serve the playground page (demo mode by default; PLAYGROUND=on for a bot pointed at a fake Open API). */
  playground: boolean;
  /** How events reach the bot: Feishu posts them to the webhook, or they come over the SDK's long connection. */
  eventMode: 'webhook' | 'websocket';
  /** Shared state in Redis, for several replicas; unset: this process and its SQLite file. */
  redisUrl?: string;
  /** Where events and callbacks the bot does not act on are passed on (another integration of the same app). */
  forwardUrl?: string;
}

const CONSOLE = 'Feishu developer console (https://open.feishu.cn/app) → your app';
const WHERE: Record<string, string> = {
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
const REQUIRED_VARS = ['FEISHU_APP_ID', 'FEISHU_APP_SECRET', 'FEISHU_VERIFICATION_TOKEN'] as const;

const DOMAINS: Record<string, string> = { feishu: 'https://open.feishu.cn', lark: 'https://open.larksuite.com' };
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

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

/** Every variable the bot reads: app.json and the README must list each (a test checks). */
export const ENV_VARS: readonly string[] = Object.keys(envSchema.shape);

/** The SDK's WSClient silently refuses to start with any other app id. */
const WS_APP_ID = /^cli_[0-9a-fA-F]{16}$/;

const list = (v: string) =>
  new Set(
    v
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x.length > 0),
  );

/** Treats empty strings as unset, as shells and .env files often leave them. */
function present(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== ''),
  );
}

type Env = z.infer<typeof envSchema>;

const invalid = (line: string) => new BotError('config', `Invalid configuration:\n  ${line}`);

function parseEnv(env: Record<string, string>): Env {
  const parsed = envSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    return `  ${name} ${issue.message}. Expected: ${WHERE[name] ?? 'see README'}`;
  });
  throw new BotError('config', `Invalid configuration:\n${lines.join('\n')}`);
}

function accessPolicy(v: Env): AccessPolicy {
  if (v.ACCESS_POLICY !== 'allowlist') return { kind: v.ACCESS_POLICY };
  const users = list(v.ACCESS_ALLOW_USERS);
  const departments = list(v.ACCESS_ALLOW_DEPARTMENTS);
  if (users.size === 0 && departments.size === 0) {
    throw invalid(
      `ACCESS_POLICY=allowlist needs ACCESS_ALLOW_USERS or ACCESS_ALLOW_DEPARTMENTS. Expected: ${WHERE.ACCESS_ALLOW_USERS}`,
    );
  }
  return { kind: 'allowlist', users, departments };
}

/** What demo and live mode read alike. */
function commonSettings(v: Env): Omit<Config, 'mode' | 'credentials' | 'playground'> {
  return {
    baseUrl: v.FEISHU_DOMAIN,
    port: v.PORT,
    host: v.HOST ?? '0.0.0.0',
    ops: v.OPS_PORT === undefined ? undefined : { port: v.OPS_PORT, host: v.OPS_HOST },
    timeZone: v.BOT_TIME_ZONE,
    httpTimeoutMs: v.FEISHU_HTTP_TIMEOUT_MS,
    logLevel: v.LOG_LEVEL,
    dbPath: v.BOT_DB_PATH ?? './data/feishu-reads-bot.db',
    limits: {
      maxPending: v.QUEUE_MAX_PENDING,
      maxPendingPerChat: v.CHAT_MAX_PENDING,
      userCommandsPerMinute: v.USER_COMMANDS_PER_MINUTE,
    },
    shutdownDeadlineMs: v.SHUTDOWN_DEADLINE_MS,
    access: accessPolicy(v),
    freshMs: v.READS_FRESH_MS,
    eventMode: v.FEISHU_EVENT_MODE,
    redisUrl: v.REDIS_URL,
    forwardUrl: v.FEISHU_FORWARD_URL,
  };
}

/**
 * Over the long connection Feishu neither signs nor encrypts events, and sends
 * no token to check (使用长连接接收事件.md): the token and the encrypt key are
 * needed only to post events on to FEISHU_FORWARD_URL as a webhook would.
 */
function keysNeeded(v: Env): boolean {
  return v.FEISHU_EVENT_MODE === 'webhook' || v.FEISHU_FORWARD_URL !== undefined;
}

/** The credentials of live mode, all of them, with the settings that depend on them checked. */
function liveCredentials(v: Env, given: readonly string[], env: Record<string, string>): FeishuCredentials {
  const required = keysNeeded(v) ? REQUIRED_VARS : REQUIRED_VARS.filter((name) => name !== 'FEISHU_VERIFICATION_TOKEN');
  const missing = required.filter((name) => env[name] === undefined);
  if (missing.length > 0) {
    const lines = missing.map((name) => `  ${name} is missing. Find it in: ${WHERE[name]}`);
    throw new BotError(
      'config',
      `Some Feishu credentials are set (${given.join(', ')}) but not all:\n${lines.join('\n')}\n` +
        'Set all of them to run against Feishu, or none of them to run the demo.',
    );
  }
  if (!v.FEISHU_ENCRYPT_KEY && v.FEISHU_TOKEN_ONLY !== 'on' && keysNeeded(v)) {
    // Without an encrypt key, anyone who learns the verification token can forge events: a choice to make knowingly.
    throw invalid(
      `FEISHU_ENCRYPT_KEY is not set. Set it (${WHERE.FEISHU_ENCRYPT_KEY}), or set FEISHU_TOKEN_ONLY=on to accept events checked by the verification token alone.`,
    );
  }
  if (v.PLAYGROUND === 'on' && !LOOPBACK.has(new URL(v.FEISHU_DOMAIN).hostname)) {
    // The page signs events with the bot's keys for whoever reaches it: only ever against a fake Open API on this machine.
    throw invalid(
      `PLAYGROUND=on needs FEISHU_DOMAIN on this machine (a fake Open API), not ${v.FEISHU_DOMAIN}. Expected: ${WHERE.PLAYGROUND}`,
    );
  }
  if (v.FEISHU_EVENT_MODE === 'websocket' && !WS_APP_ID.test(v.FEISHU_APP_ID!)) {
    throw invalid(
      `FEISHU_APP_ID must be cli_ and 16 hex digits for FEISHU_EVENT_MODE=websocket. Expected: ${WHERE.FEISHU_APP_ID}`,
    );
  }
  return {
    appId: v.FEISHU_APP_ID!,
    appSecret: v.FEISHU_APP_SECRET!,
    // Unset (long connection): a random one, so that nothing needing a token could ever pass.
    verificationToken: v.FEISHU_VERIFICATION_TOKEN ?? randomBytes(32).toString('hex'),
    encryptKey: v.FEISHU_ENCRYPT_KEY,
  };
}

/** No credentials means demo mode, unless the settings say this is meant to be a real deployment. */
function refuseDemo(v: Env): void {
  if (v.NODE_ENV === 'production') {
    throw invalid(
      `NODE_ENV=production but no Feishu credentials are set: refusing to start the demo. Set ${REQUIRED_VARS.join(', ')} (see README).`,
    );
  }
  if (v.REDIS_URL) {
    // A replica whose secrets failed to mount would otherwise answer the fleet's journaled commands through the fake.
    throw invalid(
      'REDIS_URL is set but no Feishu credentials are: the demo never uses a shared Redis. Set the credentials, or unset REDIS_URL to try the demo.',
    );
  }
  if (v.FEISHU_EVENT_MODE === 'websocket') {
    throw invalid('FEISHU_EVENT_MODE=websocket needs Feishu credentials: the demo takes events over the webhook only.');
  }
}

export function loadConfig(rawEnv: NodeJS.ProcessEnv): Config {
  const env = present(rawEnv);
  const v = parseEnv(env);
  const common = commonSettings(v);
  const given = CREDENTIAL_VARS.filter((name) => env[name] !== undefined);
  if (given.length > 0) {
    return { mode: 'live', credentials: liveCredentials(v, given, env), ...common, playground: v.PLAYGROUND === 'on' };
  }
  refuseDemo(v);
  // The demo keeps its own store and stays on this machine, so trying it never mixes with a real deployment.
  const dbPath = join(dirname(v.BOT_DB_PATH ?? './data/x.db'), 'demo.db');
  return { mode: 'demo', ...common, dbPath, host: v.HOST ?? '127.0.0.1', playground: v.PLAYGROUND !== 'off' };
}
