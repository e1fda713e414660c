/** The front door before the bot knows who it is: challenges answered, events deferred to Feishu's retry. */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { request } from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { feishuRequest, messageEvent } from '../../src/demo/feishuEvents.js';
import { encryptPayload } from '../../src/http/cipher.js';
import { createFrontDoor } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';

let server: Server;
let url: string;
const handed: unknown[] = [];

beforeAll(async () => {
  const handler = createFrontDoor({
    decode: { verificationToken: 'tok', encryptKey: 'key' },
    readiness: () => ({ ready: false, checks: { identity: false } }),
    accepting: () => false,
    now: () => Date.now(),
    onEvent: async (e) => void handed.push(e),
    onCardAction: async (e) => {
      handed.push(e);
      return {};
    },
    logger: createLogger('silent'),
  });
  server = await new Promise((resolve) => {
    const s = createServer(handler).listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('answers the challenge even while starting', async () => {
  const req = feishuRequest({ type: 'url_verification', challenge: 'c1', token: 'tok' }, 'key');
  const res = await fetch(`${url}/webhook/event`, { method: 'POST', headers: req.headers, body: req.body });
  expect(await res.json()).toEqual({ challenge: 'c1' });
});

it('answers events 503 while starting, so Feishu delivers them again later', async () => {
  const req = feishuRequest(messageEvent({ token: 'tok', text: '/help' }), 'key');
  const res = await fetch(`${url}/webhook/event`, { method: 'POST', headers: req.headers, body: req.body });
  expect(res.status).toBe(503);
  expect(handed).toHaveLength(0);
  expect((await fetch(`${url}/readyz`)).status).toBe(503);
  expect((await fetch(`${url}/healthz`)).status).toBe(200); // alive all the same
});

it('refuses a body that is not JSON by content type with 415', async () => {
  const req = feishuRequest(messageEvent({ token: 'tok', text: '/help' }), 'key');
  const res = await fetch(`${url}/webhook/event`, {
    method: 'POST',
    headers: { ...req.headers, 'content-type': 'text/plain' },
    body: req.body,
  });
  expect(res.status).toBe(415);
  expect(handed).toHaveLength(0);
});

it('reads a gzip- or brotli-compressed body, refuses an unknown encoding with 415, and takes the path with a trailing slash or query', async () => {
  const req = feishuRequest({ type: 'url_verification', challenge: 'c2', token: 'tok' }, 'key');
  const zipped = await fetch(`${url}/webhook/event`, {
    method: 'POST',
    headers: { ...req.headers, 'content-encoding': 'gzip' },
    body: gzipSync(req.body),
  });
  expect(await zipped.json()).toEqual({ challenge: 'c2' });
  const brotli = await fetch(`${url}/webhook/event`, {
    method: 'POST',
    headers: { ...req.headers, 'content-encoding': 'br' },
    body: brotliCompressSync(req.body),
  });
  expect(await brotli.json()).toEqual({ challenge: 'c2' });
  const odd = await fetch(`${url}/webhook/event`, {
    method: 'POST',
    headers: { ...req.headers, 'content-encoding': 'zstd' },
    body: req.body,
  });
  expect(odd.status).toBe(415);
  const slashed = await fetch(`${url}/webhook/event/?from=feishu`, {
    method: 'POST',
    headers: req.headers,
    body: req.body,
  });
  expect(await slashed.json()).toEqual({ challenge: 'c2' });
});

it('answers every unsigned encrypted body that is not a challenge with the same bytes', async () => {
  const answers = new Set<string>();
  for (const plaintext of [
    'not json',
    '{"schema":"2.0"}',
    JSON.stringify(messageEvent({ token: 'tok', text: '/help' })),
  ]) {
    const body = JSON.stringify({ encrypt: encryptPayload(plaintext, 'key') });
    const res = await fetch(`${url}/webhook/event`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    answers.add(`${res.status} ${await res.text()}`);
  }
  const garbage = await fetch(`${url}/webhook/card`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"encrypt":"AAAA"}',
  });
  answers.add(`${garbage.status} ${await garbage.text()}`);
  expect([...answers]).toEqual(['401 {"error":"request cannot be verified"}']);
});

it('answers 404 for other paths and methods', async () => {
  expect((await fetch(`${url}/webhook/event`)).status).toBe(404);
  expect(
    (
      await fetch(`${url}/webhook/other`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).status,
  ).toBe(404);
});

it('takes a request line in absolute form, as some proxies send it', async () => {
  const req = feishuRequest({ type: 'url_verification', challenge: 'c3', token: 'tok' }, 'key');
  const { port } = server.address() as AddressInfo;
  const answer = await new Promise<string>((resolve, reject) => {
    const r = request(
      { host: '127.0.0.1', port, method: 'POST', path: `http://bot.example.com/webhook/event`, headers: req.headers },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(text));
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
  expect(JSON.parse(answer)).toEqual({ challenge: 'c3' });
});

it('answers 500 and keeps running when something throws while handling a webhook', async () => {
  const failing = createServer(
    createFrontDoor({
      decode: { verificationToken: 'tok', encryptKey: 'key' },
      readiness: () => ({ ready: true, checks: {} }),
      accepting: () => {
        throw new Error('boom');
      },
      now: () => Date.now(),
      onEvent: async () => undefined,
      onCardAction: async () => ({}),
      logger: createLogger('silent'),
    }),
  );
  await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
  try {
    const base = `http://127.0.0.1:${(failing.address() as AddressInfo).port}`;
    const req = feishuRequest(messageEvent({ token: 'tok', text: '/help' }), 'key');
    const res = await fetch(`${base}/webhook/event`, { method: 'POST', headers: req.headers, body: req.body });
    expect(res.status).toBe(500);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  } finally {
    await new Promise<void>((resolve) => failing.close(() => resolve()));
  }
});
