/** Which routes each HTTP app serves: webhooks off in long-connection mode, readiness and metrics on a port of their own. */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { feishuRequest } from '../../../src/dev/demo/feishuEvents.js';
import { createFrontDoor, createOpsApp } from '../../../src/inbound/http/server.js';
import { frontDoorDeps } from '../../support/frontDoor.js';

const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) await new Promise((resolve) => s.close(resolve));
});

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const deps = frontDoorDeps({
  readiness: () => ({ ready: true, checks: { identity: true } }),
  metrics: async () => ({ contentType: 'text/plain', text: 'reads_up 1\n' }),
});

const challenge = feishuRequest({ type: 'url_verification', challenge: 'c1', token: 'tok' }, 'key');
const post = (base: string, path: string) =>
  fetch(`${base}${path}`, { method: 'POST', headers: challenge.headers, body: challenge.body });

it('serves no webhook when events come over the long connection', async () => {
  const base = await serve(createFrontDoor({ ...deps, webhooks: false }));
  expect((await post(base, '/webhook/event')).status).toBe(404);
  expect((await post(base, '/webhook/card')).status).toBe(404);
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  const all = await serve(createFrontDoor(deps));
  expect(await (await post(all, '/webhook/event')).json()).toEqual({ challenge: 'c1' });
});

it('moves readiness and metrics off the public app onto the ops app', async () => {
  const front = await serve(createFrontDoor({ ...deps, ops: false }));
  expect((await fetch(`${front}/readyz`)).status).toBe(404);
  expect((await fetch(`${front}/metrics`)).status).toBe(404);
  expect((await fetch(`${front}/healthz`)).status).toBe(200);
  expect(await (await post(front, '/webhook/event')).json()).toEqual({ challenge: 'c1' });

  const ops = await serve(createOpsApp(deps));
  expect(await (await fetch(`${ops}/readyz`)).json()).toEqual({ status: 'ready', checks: { identity: true } });
  expect(await (await fetch(`${ops}/metrics`)).text()).toBe('reads_up 1\n');
  expect((await fetch(`${ops}/healthz`)).status).toBe(200);
  expect((await post(ops, '/webhook/event')).status).toBe(404);
});
