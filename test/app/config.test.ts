import { readFileSync } from 'node:fs';
import { loadConfig } from '../../src/app/config.js';
import { ENV_VARS, REQUIRED_VARS } from '../../src/app/env.js';

const FULL = {
  FEISHU_APP_ID: 'cli_a1b2c3d4e5f6',
  FEISHU_APP_SECRET: 'secret',
  FEISHU_VERIFICATION_TOKEN: 'token',
  FEISHU_ENCRYPT_KEY: 'key',
};

describe('loadConfig', () => {
  it('runs the demo when no Feishu credentials are set (empty values count as unset)', () => {
    expect(loadConfig({})).toMatchObject({
      mode: 'demo',
      port: 3000,
      timeZone: 'Asia/Shanghai',
      baseUrl: 'https://open.feishu.cn',
    });
    expect(loadConfig({ FEISHU_APP_ID: '' }).mode).toBe('demo');
  });

  it('reads full credentials', () => {
    const c = loadConfig({ ...FULL, PORT: '8080', BOT_TIME_ZONE: 'Europe/Berlin', FEISHU_DOMAIN: 'lark' });
    expect(c).toMatchObject({
      mode: 'live',
      port: 8080,
      timeZone: 'Europe/Berlin',
      baseUrl: 'https://open.larksuite.com',
      credentials: { appId: 'cli_a1b2c3d4e5f6', appSecret: 'secret', verificationToken: 'token', encryptKey: 'key' },
    });
  });

  it('lets the encrypt key be left out (Feishu allows it) only when token-only mode is chosen', () => {
    const { FEISHU_ENCRYPT_KEY: _, ...rest } = FULL;
    expect(() => loadConfig(rest)).toThrow(/FEISHU_ENCRYPT_KEY is not set[\s\S]*FEISHU_TOKEN_ONLY=on/);
    expect(loadConfig({ ...rest, FEISHU_TOKEN_ONLY: 'on' }).credentials?.encryptKey).toBeUndefined();
    expect(() => loadConfig({ ...FULL, FEISHU_TOKEN_ONLY: 'maybe' })).toThrow(/FEISHU_TOKEN_ONLY/);
  });

  it('accepts a base URL as the domain', () => {
    expect(loadConfig({ ...FULL, FEISHU_DOMAIN: 'http://127.0.0.1:9999/' }).baseUrl).toBe('http://127.0.0.1:9999');
  });

  it('keeps the demo’s data in its own file, never in the live store', () => {
    expect(loadConfig({}).dbPath).toBe('data/demo.db');
    expect(loadConfig({ BOT_DB_PATH: '/data/feishu-reads-bot.db' }).dbPath).toBe('/data/demo.db');
    expect(loadConfig({ ...FULL, BOT_DB_PATH: '/data/feishu-reads-bot.db' }).dbPath).toBe('/data/feishu-reads-bot.db');
  });

  it('serves the playground in demo mode unless PLAYGROUND=off; otherwise only with PLAYGROUND=on and a fake Open API', () => {
    expect(loadConfig({}).playground).toBe(true);
    expect(loadConfig({ PLAYGROUND: 'off' }).playground).toBe(false);
    expect(loadConfig(FULL).playground).toBe(false);
    expect(loadConfig({ ...FULL, PLAYGROUND: 'on', FEISHU_DOMAIN: 'http://127.0.0.1:9999' }).playground).toBe(true);
    expect(() => loadConfig({ ...FULL, PLAYGROUND: 'on' })).toThrow(
      /PLAYGROUND=on[\s\S]*FEISHU_DOMAIN set to a fake Open API/,
    );
    expect(() => loadConfig({ ...FULL, PLAYGROUND: 'on', FEISHU_DOMAIN: 'lark' })).toThrow(/PLAYGROUND=on/);
    expect(() => loadConfig({ PLAYGROUND: 'yes' })).toThrow(/PLAYGROUND/);
    // A proxy in front of Feishu is Feishu all the same.
    expect(() => loadConfig({ ...FULL, PLAYGROUND: 'on', FEISHU_DOMAIN: 'https://feishu-proxy.example.com' })).toThrow(
      /PLAYGROUND=on/,
    );
    expect(() => loadConfig({ ...FULL, PLAYGROUND: 'on', FEISHU_DOMAIN: 'HTTPS://open.feishu.cn:443' })).toThrow(
      /PLAYGROUND=on/,
    );
  });

  it('refuses partial credentials, naming what is missing and where to find it', () => {
    expect(() => loadConfig({ FEISHU_APP_ID: 'cli_abc' })).toThrow(
      /FEISHU_APP_SECRET is missing[\s\S]*Credentials & Basic Info/,
    );
    expect(() => loadConfig({ FEISHU_ENCRYPT_KEY: 'k' })).toThrow(
      /FEISHU_VERIFICATION_TOKEN is missing[\s\S]*Encryption Strategy/,
    );
  });

  it.each([
    [{ FEISHU_APP_ID: 'not-an-app-id' }, /FEISHU_APP_ID.*cli_/],
    [{ FEISHU_DOMAIN: 'ftp://x' }, /FEISHU_DOMAIN/],
    [{ PORT: 'eighty' }, /PORT/],
    [{ BOT_TIME_ZONE: 'Mars/Olympus' }, /BOT_TIME_ZONE is not a known time zone/],
    [{ FEISHU_HTTP_TIMEOUT_MS: '5' }, /FEISHU_HTTP_TIMEOUT_MS/],
  ])('refuses a malformed value %j', (env, message) => {
    expect(() => loadConfig({ ...FULL, ...env })).toThrow(message);
  });
});

describe('FEISHU_EVENT_MODE', () => {
  const WS_APP_ID = 'cli_a1b2c3d4e5f6a7b8';

  it('takes events over the webhook unless told otherwise', () => {
    expect(loadConfig(FULL).eventMode).toBe('webhook');
    expect(loadConfig({ ...FULL, FEISHU_APP_ID: WS_APP_ID, FEISHU_EVENT_MODE: 'websocket' }).eventMode).toBe(
      'websocket',
    );
    expect(() => loadConfig({ ...FULL, FEISHU_EVENT_MODE: 'carrier-pigeon' })).toThrow(
      /FEISHU_EVENT_MODE[\s\S]*webhook .* or websocket/,
    );
  });

  it('needs no verification token or encrypt key over the long connection, unless events are forwarded', () => {
    const ws = { FEISHU_APP_ID: WS_APP_ID, FEISHU_APP_SECRET: 'secret', FEISHU_EVENT_MODE: 'websocket' };
    const config = loadConfig(ws);
    expect(config.mode).toBe('live');
    expect(config.credentials!.encryptKey).toBeUndefined();
    expect(config.credentials!.verificationToken).toMatch(/^[0-9a-f]{64}$/); // nothing can present it
    expect(loadConfig(ws).credentials!.verificationToken).not.toBe(config.credentials!.verificationToken);
    const forwarding = { ...ws, FEISHU_FORWARD_URL: 'https://other.example.com/events' };
    expect(() => loadConfig(forwarding)).toThrow(/FEISHU_VERIFICATION_TOKEN is missing/);
    expect(() => loadConfig({ ...forwarding, FEISHU_VERIFICATION_TOKEN: 't' })).toThrow(
      /FEISHU_ENCRYPT_KEY is not set/,
    );
    expect(() => loadConfig({ ...ws, FEISHU_APP_SECRET: '' })).toThrow(/FEISHU_APP_SECRET is missing/);
  });

  it('refuses the long connection for the demo, and for an app id the SDK would silently not connect with', () => {
    expect(() => loadConfig({ FEISHU_EVENT_MODE: 'websocket' })).toThrow(/needs Feishu credentials/);
    expect(() => loadConfig({ ...FULL, FEISHU_EVENT_MODE: 'websocket' })).toThrow(
      /FEISHU_APP_ID must be cli_ and 16 hex digits/,
    );
  });
});

describe('the documented variables', () => {
  const appJson = JSON.parse(readFileSync('app.json', 'utf8')) as { env: Record<string, unknown> };
  const operations = readFileSync('docs/operations.md', 'utf8');
  const readme = readFileSync('README.md', 'utf8');

  it.each(ENV_VARS)('%s is in app.json and in the table of docs/operations.md', (name) => {
    expect(Object.keys(appJson.env)).toContain(name);
    expect(operations).toContain(`| \`${name}\` |`);
  });

  it.each([...REQUIRED_VARS, 'FEISHU_ENCRYPT_KEY'])('%s is in the README’s essential settings', (name) => {
    expect(readme).toContain(`| \`${name}\` |`);
  });

  it('app.json lists nothing the bot does not read', () => {
    expect(Object.keys(appJson.env).filter((name) => !ENV_VARS.includes(name))).toEqual([]);
  });
});

describe('what demo mode and plain http may not do', () => {
  it('refuses to fall back to the demo in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/NODE_ENV=production but no Feishu credentials/);
    expect(loadConfig({ NODE_ENV: 'production', ...FULL }).mode).toBe('live');
    expect(loadConfig({ NODE_ENV: 'development' }).mode).toBe('demo');
  });

  it('never runs the demo against a shared Redis', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://redis:6379' })).toThrow(/REDIS_URL is set but no Feishu credentials/);
    expect(loadConfig({ REDIS_URL: 'redis://redis:6379', ...FULL }).redisUrl).toBe('redis://redis:6379');
  });

  it('listens on this machine only in demo mode, unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig(FULL).host).toBe('0.0.0.0');
    expect(loadConfig({ ...FULL, HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
  });

  it('sends the app secret over plain http only to this machine', () => {
    for (const local of ['http://127.0.0.1:9000', 'http://localhost:9000/', 'http://[::1]:9000']) {
      expect(loadConfig({ ...FULL, FEISHU_DOMAIN: local }).baseUrl).toBe(local.replace(/\/$/, ''));
    }
    for (const remote of ['http://open.feishu.cn', 'http://10.0.0.5:9000', 'http://127.0.0.1.example.com']) {
      expect(() => loadConfig({ ...FULL, FEISHU_DOMAIN: remote })).toThrow(
        /FEISHU_DOMAIN must be feishu, lark, an https/,
      );
    }
    expect(loadConfig({ ...FULL, FEISHU_DOMAIN: 'https://open.feishu.cn' }).baseUrl).toBe('https://open.feishu.cn');
  });
});

describe('the ops port', () => {
  it('is off unless OPS_PORT is set, and listens on this machine unless OPS_HOST says otherwise', () => {
    expect(loadConfig({}).ops).toBeUndefined();
    expect(loadConfig({ OPS_PORT: '9464' }).ops).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ OPS_PORT: '9464', OPS_HOST: '10.0.0.5' }).ops).toEqual({ port: 9464, host: '10.0.0.5' });
    expect(() => loadConfig({ OPS_PORT: 'metrics' })).toThrow(/OPS_PORT/);
  });
});

describe('ACCESS_POLICY', () => {
  it('lets everyone in unless told otherwise', () => {
    expect(loadConfig(FULL).access).toEqual({ kind: 'everyone' });
    expect(loadConfig({ ...FULL, ACCESS_POLICY: 'everyone' }).access).toEqual({ kind: 'everyone' });
  });

  it('reads the allow-lists as comma lists, trimming spaces and skipping empty items', () => {
    const { access } = loadConfig({
      ...FULL,
      ACCESS_POLICY: 'allowlist',
      ACCESS_ALLOW_USERS: ' ou_alice, ,u_bob ,,ou_alice,',
      ACCESS_ALLOW_DEPARTMENTS: 'od-ops ,  od-sales',
    });
    expect(access).toEqual({
      kind: 'allowlist',
      users: new Set(['ou_alice', 'u_bob']),
      departments: new Set(['od-ops', 'od-sales']),
    });
  });

  it('takes an allow-list of users only, or of departments only', () => {
    expect(loadConfig({ ...FULL, ACCESS_POLICY: 'allowlist', ACCESS_ALLOW_USERS: 'ou_a' }).access).toEqual({
      kind: 'allowlist',
      users: new Set(['ou_a']),
      departments: new Set(),
    });
    expect(loadConfig({ ...FULL, ACCESS_POLICY: 'allowlist', ACCESS_ALLOW_DEPARTMENTS: 'od-x' }).access).toEqual({
      kind: 'allowlist',
      users: new Set(),
      departments: new Set(['od-x']),
    });
  });

  it.each([
    ['unset', {}],
    ['empty', { ACCESS_ALLOW_USERS: '', ACCESS_ALLOW_DEPARTMENTS: '' }],
    ['only commas and spaces', { ACCESS_ALLOW_USERS: ' , ,', ACCESS_ALLOW_DEPARTMENTS: ',' }],
  ])('refuses an allow-list with both lists %s, naming both variables', (_, lists) => {
    expect(() => loadConfig({ ...FULL, ACCESS_POLICY: 'allowlist', ...lists })).toThrow(
      /ACCESS_POLICY=allowlist needs ACCESS_ALLOW_USERS or ACCESS_ALLOW_DEPARTMENTS/,
    );
  });

  it('reads group_admins, and ignores the allow-lists then', () => {
    expect(loadConfig({ ...FULL, ACCESS_POLICY: 'group_admins', ACCESS_ALLOW_USERS: 'ou_a' }).access).toEqual({
      kind: 'group_admins',
    });
  });

  it('applies in demo mode too', () => {
    expect(loadConfig({ ACCESS_POLICY: 'group_admins' }).access).toEqual({ kind: 'group_admins' });
  });

  it.each(['admins', 'Allowlist', 'everyone,allowlist'])(
    'refuses an unknown policy %j, naming the variable',
    (policy) => {
      expect(() => loadConfig({ ...FULL, ACCESS_POLICY: policy })).toThrow(
        /ACCESS_POLICY [\s\S]*Expected: everyone \(default\), allowlist .* or group_admins/,
      );
    },
  );
});

describe('REDIS_URL', () => {
  it('is unset by default: one replica with its SQLite file', () => {
    expect(loadConfig(FULL).redisUrl).toBeUndefined();
    expect(loadConfig({ ...FULL, REDIS_URL: '  ' }).redisUrl).toBeUndefined();
  });

  it.each(['redis://redis:6379', 'redis://:secret@10.0.0.5:6380/2', 'rediss://user:pw@cache.example.com:6380'])(
    'accepts %s',
    (url) => {
      expect(loadConfig({ ...FULL, REDIS_URL: url }).redisUrl).toBe(url);
    },
  );

  it.each([
    'http://redis:6379',
    'https://cache.example.com',
    'localhost:6379',
    'localhost',
    'not a url',
    '://',
    'redis:6379',
    'redis://',
  ])('refuses %j with a message naming REDIS_URL and what it must look like', (url) => {
    expect(() => loadConfig({ ...FULL, REDIS_URL: url })).toThrow(
      /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL[\s\S]*Expected: a redis:\/\/ or rediss:\/\/ URL/,
    );
  });
});

describe('FEISHU_FORWARD_URL', () => {
  it('is unset by default: what the bot does not act on is acknowledged', () => {
    expect(loadConfig(FULL).forwardUrl).toBeUndefined();
  });

  it('takes an http:// or https:// URL, and refuses anything else naming the variable', () => {
    const url = 'https://approvals.internal.example.com/feishu/events';
    expect(loadConfig({ ...FULL, FEISHU_FORWARD_URL: url }).forwardUrl).toBe(url);
    for (const bad of ['ftp://x.example.com/', 'approvals:8080', 'not a url'])
      expect(() => loadConfig({ ...FULL, FEISHU_FORWARD_URL: bad })).toThrow(
        /FEISHU_FORWARD_URL must be an http:\/\/ or https:\/\/ URL/,
      );
  });
});
