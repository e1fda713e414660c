/** The front door before the bot knows who it is: challenges answered, events deferred to Feishu's retry. */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { feishuRequest, messageEvent } from '../../src/demo/feishuEvents.js';
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
  const res = await fetch(`${url}/webhook/event`, { method: 'POST', headers: { ...req.headers, 'content-type': 'text/plain' }, body: req.body });
  expect(res.status).toBe(415);
  expect(handed).toHaveLength(0);
});

it('reads a gzip-compressed body, refuses an unknown encoding with 415, and takes the path with a trailing slash or query', async () => {
  const req = feishuRequest({ type: 'url_verification', challenge: 'c2', token: 'tok' }, 'key');
  const zipped = await fetch(`${url}/webhook/event`, { method: 'POST', headers: { ...req.headers, 'content-encoding': 'gzip' }, body: gzipSync(req.body) });
  expect(await zipped.json()).toEqual({ challenge: 'c2' });
  const odd = await fetch(`${url}/webhook/event`, { method: 'POST', headers: { ...req.headers, 'content-encoding': 'zstd' }, body: req.body });
  expect(odd.status).toBe(415);
  const slashed = await fetch(`${url}/webhook/event/?from=feishu`, { method: 'POST', headers: req.headers, body: req.body });
  expect(await slashed.json()).toEqual({ challenge: 'c2' });
});

it('answers 404 for other paths and methods', async () => {
  expect((await fetch(`${url}/webhook/event`)).status).toBe(404);
  expect((await fetch(`${url}/webhook/other`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
});
