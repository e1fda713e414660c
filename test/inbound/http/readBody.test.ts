/**
 * Reading a webhook body over real HTTP: the 1 MB cap holds for what a body
 * inflates to and for a body streamed without a length; a body that cannot
 * be inflated, or that never finishes, gets an answer instead of a hang.
 */
import { createServer, request, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { readBody, type BodyRead } from '../../../src/inbound/http/readBody.js';
import { createFrontDoor } from '../../../src/inbound/http/server.js';
import { FakeOpenApi } from '../../../src/dev/demo/fakeOpenApi.js';
import { APP, KEY, TOKEN } from '../../support/harness.js';
import { liveBotEnv, startBotProcess, type RunningBot } from '../../support/process.js';
import { until } from '../../support/until.js';
import { frontDoorDeps } from '../../support/frontDoor.js';

const MB = 1024 * 1024;

const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function listen(handler: RequestListener): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** The real front door, without an encrypt key, so a plain url_verification body is answered with its challenge. */
let frontDoor: number;
beforeAll(async () => {
  frontDoor = await listen(createFrontDoor(frontDoorDeps({ decode: { verificationToken: 'tok' } })));
});

/** A url_verification request, padded with white space (still the same JSON) to `size` bytes. */
function challenge(name: string, size = 0): Buffer {
  const json = JSON.stringify({ type: 'url_verification', challenge: name, token: 'tok' });
  return Buffer.from(json + ' '.repeat(Math.max(0, size - json.length)));
}

/** A whole body, with Content-Length, posted to the front door; its status and parsed answer. */
function post(body: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; answer: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: frontDoor,
        method: 'POST',
        path: '/webhook/event',
        headers: { 'content-type': 'application/json', 'content-length': body.length, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, answer: JSON.parse(Buffer.concat(chunks).toString()) as unknown }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A body streamed in chunks (Transfer-Encoding: chunked, no Content-Length), over a raw socket; what came back. */
function streamed(port: number, chunks: Buffer[]): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        'POST /webhook/event HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      );
      for (const c of chunks)
        socket.write(Buffer.concat([Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n')]));
      socket.write('0\r\n\r\n');
    });
    socket.on('data', (d: Buffer) => {
      received += d.toString('latin1');
      // One answer is all this test waits for; the server may keep the connection open after a 200.
      const end = received.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(received)?.[1];
      if (end >= 0 && length !== undefined && received.length >= end + 4 + Number(length)) socket.destroy();
    });
    socket.on('error', () => undefined); // writing after a refusal may meet a reset
    socket.on('close', () => resolve(received));
  });
}

const statusOf = (raw: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);
const answerOf = (raw: string) => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as unknown;

/**
 * The bombs go to the bot as `npm start` runs it: under jest's module VM a
 * zlib RangeError comes from another realm than the code's `RangeError`, so
 * the same code answers 400 there for what is a 413 in production.
 */
describe('decompression bombs, in the bot as npm start runs it', () => {
  const fake = new FakeOpenApi({ ...APP });
  let dir: string;
  let bot: RunningBot;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'reads-body-'));
    const baseUrl = await fake.listen();
    bot = await startBotProcess((port) =>
      liveBotEnv({ ...APP, token: TOKEN, encryptKey: KEY }, baseUrl, {
        PORT: String(port),
        BOT_DB_PATH: join(dir, 'bot.db'),
      }),
    );
  }, 30_000);
  afterAll(async () => {
    bot.child.kill('SIGTERM');
    await bot.exited;
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // 2 MB of white space inside valid JSON: a few KB compressed, over the cap inflated.
  const bomb = challenge('bomb', 2 * MB);
  const send = async (body: Buffer, encoding: string) => {
    const res = await fetch(`${bot.url}/webhook/event`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': encoding },
      body: new Uint8Array(body),
    });
    return { status: res.status, answer: (await res.json()) as unknown };
  };

  it.each([
    ['gzip', () => gzipSync(bomb, { level: 9 })],
    ['br', () => brotliCompressSync(bomb)],
    ['deflate', () => deflateSync(bomb, { level: 9 })],
  ])('refuses a %s bomb with 413 although it arrives as a few KB', async (encoding, compress) => {
    const zipped = compress();
    expect(zipped.length).toBeLessThan(10 * 1024);
    expect(await send(zipped, encoding)).toEqual({ status: 413, answer: { error: 'body too large' } });
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });

  it('tells a corrupt body (400) from a bomb (413)', async () => {
    expect(await send(Buffer.from('this was never gzip'), 'gzip')).toEqual({
      status: 400,
      answer: { error: 'cannot decompress body' },
    });
  });
});

describe('compressed bodies', () => {
  it('reads a compressed body that inflates to just under the cap', async () => {
    const body = challenge('just-under', MB - 1);
    for (const [encoding, zipped] of [
      ['gzip', gzipSync(body)],
      ['br', brotliCompressSync(body)],
      ['deflate', deflateSync(body)],
    ] as const) {
      expect(await post(zipped, { 'content-encoding': encoding })).toEqual({
        status: 200,
        answer: { challenge: 'just-under' },
      });
    }
  });

  it('reads content-encoding: deflate (any case)', async () => {
    const body = challenge('deflated');
    expect(await post(deflateSync(body), { 'content-encoding': 'deflate' })).toEqual({
      status: 200,
      answer: { challenge: 'deflated' },
    });
    expect(await post(deflateSync(body), { 'content-encoding': 'DEFLATE' })).toEqual({
      status: 200,
      answer: { challenge: 'deflated' },
    });
  });

  it.each([
    ['gzip', () => Buffer.from('this was never gzip')],
    ['gzip', () => gzipSync(challenge('cut')).subarray(0, 20)], // a truncated stream
    ['br', () => Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x13])],
    ['deflate', () => Buffer.from('not deflate either')],
    ['deflate', () => gzipSync(challenge('wrong-kind'))], // gzip framing where deflate was declared
  ])('refuses a corrupt %s body with 400', async (encoding, corrupt) => {
    expect(await post(corrupt(), { 'content-encoding': encoding })).toEqual({
      status: 400,
      answer: { error: 'cannot decompress body' },
    });
  });
});

describe('streamed bodies (chunked, no Content-Length)', () => {
  it('reads one under the cap, however it is cut into chunks', async () => {
    const body = challenge('streamed', 200 * 1024);
    const chunks = [body.subarray(0, 7), body.subarray(7, 100_000), body.subarray(100_000)];
    const raw = await streamed(frontDoor, chunks);
    expect(statusOf(raw)).toBe(200);
    expect(answerOf(raw)).toEqual({ challenge: 'streamed' });
  });

  it('refuses one over the 1 MB cap with 413', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const raw = await streamed(
      frontDoor,
      Array.from({ length: 17 }, () => chunk),
    ); // 1 MB + 64 KB
    expect(statusOf(raw)).toBe(413);
    expect(answerOf(raw)).toEqual({ error: 'body too large' });
  });
});

describe('readBody on a real request', () => {
  /** A server whose handler only reads the body; each request's read, in order. */
  async function reader(limit: number): Promise<{ port: number; reads: Array<Promise<BodyRead>> }> {
    const reads: Array<Promise<BodyRead>> = [];
    const port = await listen((req: IncomingMessage, res) => {
      const read = readBody(req, limit);
      reads.push(read);
      void read.then((r) => res.end(r.ok ? 'ok' : r.reason));
    });
    return { port, reads };
  }

  /** Fails the test instead of hanging it, should the read never settle (a margin of thousands). */
  const settled = (read: Promise<BodyRead>) =>
    Promise.race([
      read,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the read never settled')), 10_000).unref()),
    ]);

  it('counts streamed bytes against the limit exactly', async () => {
    const { port, reads } = await reader(100);
    await streamed(port, [Buffer.alloc(60, 0x61), Buffer.alloc(40, 0x62)]);
    await streamed(port, [Buffer.alloc(60, 0x61), Buffer.alloc(41, 0x62)]);
    const [fits, over] = await Promise.all(reads.map(settled));
    expect(fits).toEqual({ ok: true, body: Buffer.concat([Buffer.alloc(60, 0x61), Buffer.alloc(40, 0x62)]) });
    expect(over).toEqual({ ok: false, status: 413, reason: 'body too large' });
  });

  it.each([
    ['a declared length', 'Content-Length: 1000\r\n', '{"encrypt":"abc'],
    ['a chunked body', 'Transfer-Encoding: chunked\r\n', 'f\r\n{"encrypt":"abc'],
  ])('resolves as 400 "request cut off" when the client goes away mid-body (%s)', async (_, framing, part) => {
    const { port, reads } = await reader(MB);
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST /webhook/event HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n${framing}\r\n${part}`,
    );
    await until(() => reads.length === 1, 10_000, 'the server to start reading the body');
    socket.destroy();
    expect(await settled(reads[0]!)).toEqual({ ok: false, status: 400, reason: 'request cut off' });
  });
});
