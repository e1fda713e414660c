/** The server's own limits: stalled requests, too many sockets, refused bodies, all seen from a raw socket. */
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createFrontDoor } from '../../../src/inbound/http/server.js';
import { createHttpServer, HTTP_LIMITS, type HttpLimits } from '../../../src/inbound/http/listen.js';
import { frontDoorDeps } from '../../support/frontDoor.js';

const frontDoor = createFrontDoor(frontDoorDeps());

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function listen(limits?: HttpLimits): Promise<number> {
  const server = createHttpServer(frontDoor, limits);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A raw connection that records what it receives and when it is closed. */
function open(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(port, '127.0.0.1');
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', () => undefined); // a reset after the answer is expected
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('connect', () => resolve({ socket, received: () => text, closed }));
    socket.once('error', reject);
  });
}

const head = (extra: string) =>
  `POST /webhook/event HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n${extra}\r\n`;

it('has limits that Node lacks by default', () => {
  const server = createHttpServer(frontDoor);
  expect(server.requestTimeout).toBe(HTTP_LIMITS.requestTimeoutMs);
  expect(server.headersTimeout).toBe(HTTP_LIMITS.headersTimeoutMs);
  expect(server.keepAliveTimeout).toBe(HTTP_LIMITS.keepAliveTimeoutMs);
  expect(server.maxConnections).toBe(HTTP_LIMITS.maxConnections);
  expect(HTTP_LIMITS.requestTimeoutMs).toBeLessThanOrEqual(15_000);
});

it('makes requests and responses with the app’s prototypes, so Express never has to swap them', async () => {
  const port = await listen();
  const server = servers.at(-1)!;
  const born: boolean[] = [];
  // Ahead of the app, which is the server's first listener: what Node made, before Express touches it.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    born.push(Object.getPrototypeOf(req) === frontDoor.request, Object.getPrototypeOf(res) === frontDoor.response);
  });
  const answer = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(answer.status).toBe(200);
  expect(await answer.json()).toEqual({ status: 'ok' });
  expect(born).toEqual([true, true]);
});

it('closes a request whose body stalls once the request time is up', async () => {
  const port = await listen({ ...HTTP_LIMITS, requestTimeoutMs: 300, headersTimeoutMs: 300 });
  const c = await open(port);
  c.socket.write(head('Content-Length: 1000\r\n') + '{"encrypt":"');
  await c.closed; // Node's default would keep it open for 300 s
  expect(c.received()).toMatch(/^HTTP\/1\.1 408/);
});

it('refuses connections beyond the cap', async () => {
  const port = await listen({ ...HTTP_LIMITS, maxConnections: 2 });
  const kept = [await open(port), await open(port)];
  const third = await open(port);
  await third.closed;
  expect(third.received()).toBe('');
  for (const c of kept) expect(c.socket.destroyed).toBe(false);
  for (const c of kept) c.socket.destroy();
});

it('closes the connection after refusing a body as too large, declared or streamed', async () => {
  const port = await listen();
  const declared = await open(port);
  declared.socket.write(head('Content-Length: 2000000\r\n'));
  await declared.closed;
  expect(declared.received()).toMatch(/^HTTP\/1\.1 413[\s\S]*Connection: close/i);

  const streamed = await open(port);
  streamed.socket.write(head('Transfer-Encoding: chunked\r\n'));
  const chunk = 'x'.repeat(64 * 1024);
  for (let i = 0; i < 17; i++) streamed.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
  // ...and then stalls, never sending the last chunk.
  await streamed.closed;
  expect(streamed.received()).toMatch(/^HTTP\/1\.1 413/);
});

it('closes the connection after refusing a body unread for its content type or encoding', async () => {
  const port = await listen();
  for (const extra of ['Content-Length: 1000\r\n', 'Content-Length: 1000\r\nContent-Encoding: zstd\r\n']) {
    const c = await open(port);
    const request = extra.includes('zstd') ? head(extra) : head(extra).replace('application/json', 'text/plain');
    c.socket.write(request + '{"encrypt":"'); // ...and never the rest
    await c.closed;
    expect(c.received()).toMatch(/^HTTP\/1\.1 415[\s\S]*Connection: close/i);
  }
});
