/** The front door before the bot knows who it is: challenges answered, events deferred to Feishu's retry. */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { request } from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import express from 'express';
import { cardActionEvent, feishuRequest, messageEvent } from '../../../src/dev/demo/feishuEvents.js';
import { encryptPayload } from '../../../src/inbound/http/cipher.js';
import { createFrontDoor } from '../../../src/inbound/http/server.js';
import { frontDoorDeps } from '../../support/frontDoor.js';

let server: Server;
let url: string;
const handed: unknown[] = [];

beforeAll(async () => {
  const handler = createFrontDoor(
    frontDoorDeps({
      readiness: () => ({ ready: false, checks: { identity: false } }),
      accepting: () => false,
      onEvent: async (e) => void handed.push(e),
      onCardAction: async (e) => {
        handed.push(e);
        return {};
      },
    }),
  );
  server = await new Promise((resolve) => {
    const s = createServer(handler).listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('answers the challenge even while starting', async () => {
  const req = feishuRequest({ type: 'url_verification', challenge: 'c1', token: 'tok' }, 'key');
  const res = await fetch(`${url}/webhook/event`, { method: 'POST', headers: req.headers, body: req.body });
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  const text = await res.text();
  expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
  expect(JSON.parse(text)).toEqual({ challenge: 'c1' });
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

it('takes the webhook paths in any case, with one trailing slash or a query', async () => {
  for (const path of ['/WEBHOOK/Event/', '/Webhook/EVENT?from=feishu', '/webhook/CARD/?x=1', '/webhook/card']) {
    const req = feishuRequest({ type: 'url_verification', challenge: path, token: 'tok' }, 'key');
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: req.headers, body: req.body });
    expect([path, res.status, await res.json()]).toEqual([path, 200, { challenge: path }]);
  }
});

it('answers every other method on the webhook paths, and near-miss paths, with the JSON 404', async () => {
  const req = feishuRequest({ type: 'url_verification', challenge: 'c', token: 'tok' }, 'key');
  for (const path of ['/webhook/event', '/webhook/card']) {
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: req.headers,
        body: method === 'GET' ? null : req.body,
      });
      expect([method, path, res.status, await res.json()]).toEqual([method, path, 404, { error: 'not found' }]);
    }
    const head = await fetch(`${url}${path}`, { method: 'HEAD' });
    expect([path, head.status, head.headers.get('allow')]).toEqual([path, 404, null]);
  }
  for (const path of ['/webhook/event//', '//webhook/event', '/webhook/%65vent', '/webhook/events', '/webhook']) {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: req.headers, body: req.body });
    expect([path, res.status, await res.json()]).toEqual([path, 404, { error: 'not found' }]);
  }
});

it('takes a request line in absolute form, as some proxies send it', async () => {
  const req = feishuRequest({ type: 'url_verification', challenge: 'c3', token: 'tok' }, 'key');
  const { port } = server.address() as AddressInfo;
  const post = (path: string) =>
    new Promise<[number | undefined, string]>((resolve, reject) => {
      const r = request({ host: '127.0.0.1', port, method: 'POST', path, headers: req.headers }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve([res.statusCode, text]));
      });
      r.on('error', reject);
      r.end(req.body);
    });
  for (const path of ['http://bot.example.com/webhook/event', 'http://bot.example.com:8080/Webhook/CARD/?x=1']) {
    const [status, text] = await post(path);
    expect([path, status, JSON.parse(text)]).toEqual([path, 200, { challenge: 'c3' }]);
  }
  const [status, text] = await post('http://bot.example.com/webhook/other');
  expect([status, JSON.parse(text)]).toEqual([404, { error: 'not found' }]);
});

it('answers 500 and keeps running when something throws while handling a webhook', async () => {
  const failing = createServer(
    createFrontDoor(
      frontDoorDeps({
        accepting: () => {
          throw new Error('boom');
        },
      }),
    ),
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

describe('with routes of its own', () => {
  let other: Server;
  let base: string;
  let cardAnswer: () => Promise<object>;
  const events: unknown[] = [];
  const deps = frontDoorDeps({
    onEvent: async (e) => void events.push(e),
    onCardAction: () => cardAnswer(),
    // A global body parser, as an extension might add: it must never see a webhook body.
    extend: (app) => {
      app.use(express.json());
      app.post('/echo', (req, res) => void res.json(req.body));
    },
  });
  beforeAll(async () => {
    other = createServer(createFrontDoor(deps));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => other.close(() => resolve())));

  const press = () =>
    feishuRequest(
      cardActionEvent({ token: 'tok', operatorOpenId: 'ou_1', messageId: 'om_1', chatId: 'oc_1', value: { a: 1 } }),
      'key',
    );

  it('verifies webhook bodies itself, before any body parser that an extension adds', async () => {
    const req = feishuRequest(messageEvent({ token: 'tok', text: '/help' }), 'key');
    const res = await fetch(`${base}/webhook/event`, { method: 'POST', headers: req.headers, body: req.body });
    expect([res.status, await res.json()]).toEqual([200, {}]);
    expect(events).toHaveLength(1);
    const echo = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"x":1}',
    });
    expect(await echo.json()).toEqual({ x: 1 });
    const broken = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect([broken.status, await broken.json()]).toEqual([400, { error: 'entity.parse.failed' }]);
  });

  it('answers a card press with what the callback resolves to, 500 when it rejects or cannot be sent', async () => {
    cardAnswer = async () => ({ toast: { type: 'success', content: 'ok' } });
    let res = await fetch(`${base}/webhook/card`, { method: 'POST', ...press() });
    expect([res.status, await res.json()]).toEqual([200, { toast: { type: 'success', content: 'ok' } }]);

    cardAnswer = () => Promise.reject(new Error('boom'));
    res = await fetch(`${base}/webhook/card`, { method: 'POST', ...press() });
    expect([res.status, await res.json()]).toEqual([500, { error: 'internal error' }]);

    cardAnswer = async () => ({ n: 1n }); // JSON.stringify throws
    res = await fetch(`${base}/webhook/card`, { method: 'POST', ...press() });
    expect([res.status, await res.json()]).toEqual([500, { error: 'internal error' }]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
