/**
 * Live mode, as `npm start` runs it with credentials: the playground (which
 * signs events with the bot's keys for whoever reaches it) is not served,
 * only health, readiness and the webhooks. A child process, pointed at the
 * fake Open API on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOpenApi } from '../../src/dev/demo/fakeOpenApi.js';
import { feishuRequest } from '../../src/dev/demo/feishuEvents.js';
import { APP, KEY, TOKEN } from '../support/harness.js';
import { liveBotEnv, startBotProcess, type RunningBot } from '../support/process.js';
import { until } from '../support/until.js';
import { Upstream } from '../support/upstream.js';

const fake = new FakeOpenApi({ ...APP });
let dir: string;
const bots: RunningBot[] = [];

beforeAll(async () => {
  await fake.listen();
  dir = mkdtempSync(join(tmpdir(), 'reads-live-'));
});
afterAll(async () => {
  for (const bot of bots) {
    if (bot.child.exitCode === null && bot.child.signalCode === null) {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
  }
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startLive(extra: Record<string, string> = {}): Promise<RunningBot> {
  const bot = await startBotProcess((port) =>
    liveBotEnv({ ...APP, token: TOKEN, encryptKey: KEY }, fake.baseUrl, {
      PORT: String(port),
      BOT_DB_PATH: join(dir, `bot-${bots.length}.db`),
      ...extra,
    }),
  );
  bots.push(bot);
  return bot;
}

const PLAYGROUND_GETS = ['/', '/index.html', '/playground/examples', '/playground/messages?after=0'];

it('serves no playground: its page and its routes are 404, while health, readiness and the webhook answer', async () => {
  const bot = await startLive();
  for (const path of PLAYGROUND_GETS) expect([path, (await fetch(`${bot.url}${path}`)).status]).toEqual([path, 404]);
  for (const path of ['/playground/send', '/playground/press']) {
    const res = await fetch(`${bot.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '/reads bm_x', messageId: 'om_1', value: {} }),
    });
    expect([path, res.status]).toEqual([path, 404]);
  }
  expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
  const challenge = feishuRequest({ type: 'url_verification', challenge: 'live', token: TOKEN }, KEY);
  const res = await fetch(`${bot.url}/webhook/event`, {
    method: 'POST',
    headers: challenge.headers,
    body: challenge.body,
  });
  expect(await res.json()).toEqual({ challenge: 'live' });
  expect(bot.output()).not.toContain('Playground');
}, 30_000);

it('serves it only when asked with PLAYGROUND=on, against a fake Open API on this machine', async () => {
  const bot = await startLive({ PLAYGROUND: 'on' });
  const page = await fetch(`${bot.url}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<title>Reads bot · playground</title>');
  expect((await fetch(`${bot.url}/playground/examples`)).status).toBe(200);
}, 30_000);

it('checks the app’s scopes at start-up and passes on what it does not act on to FEISHU_FORWARD_URL', async () => {
  const upstream = new Upstream();
  const bot = await startLive({ FEISHU_FORWARD_URL: await upstream.listen() });
  try {
    let readyz: { scopes?: { checkedBy: string; missing: unknown[] } } = {};
    await until(async () => {
      readyz = (await (await fetch(`${bot.url}/readyz`)).json()) as typeof readyz;
      return readyz.scopes !== undefined;
    });
    expect(readyz.scopes).toMatchObject({ checkedBy: 'scope_list', missing: [] });

    const event = {
      schema: '2.0',
      header: { event_id: 'ev_live_other', event_type: 'contact.user.created_v3', token: TOKEN, create_time: '1' },
      event: {},
    };
    const req = feishuRequest(event, KEY);
    const res = await fetch(`${bot.url}/webhook/event`, { method: 'POST', headers: req.headers, body: req.body });
    expect(res.status).toBe(200);
    expect(upstream.received.map((r) => r.body.toString())).toEqual([req.body]);
  } finally {
    await upstream.close();
  }
}, 30_000);
