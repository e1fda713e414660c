/**
 * Environment → typed configuration. A missing or malformed value stops
 * start-up with a message naming the variable and where to find its value.
 * No Feishu credentials at all means demo mode; some but not all is an error.
 */
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { AccessPolicy } from '../dispatch/access.js';
import type { QueueLimits } from '../domain/limits.js';
import { BotError } from '../domain/errors.js';
import { CREDENTIAL_VARS, LOOPBACK, parseEnv, present, REQUIRED_VARS, WHERE, type Env } from './env.js';

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
  /** Who may send batch messages with /send (open ids or user ids); empty: nobody. */
  senders: ReadonlySet<string>;
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

/** The SDK's WSClient silently refuses to start with any other app id. */
const WS_APP_ID = /^cli_[0-9a-fA-F]{16}$/;

const list = (v: string) =>
  new Set(
    v
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x.length > 0),
  );

const invalid = (line: string) => new BotError('config', `Invalid configuration:\n  ${line}`);

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
    senders: list(v.SENDERS),
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
      `NODE_ENV=production but no Feishu credentials are set: refusing to start the demo. Set ${REQUIRED_VARS.join(', ')} (see docs/operations.md).`,
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
