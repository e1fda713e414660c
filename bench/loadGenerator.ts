/**
 * An open-loop load generator, run as a child process of the benchmark so it
 * never shares an event loop with what it measures. It sends the requests of
 * a file (a JSON array of {body, headers}) to `url` at `rate` a second, on
 * schedule whether or not earlier ones were answered, over up to 200
 * keep-alive connections, and prints one JSON line: latency percentiles (from
 * the moment a request is sent, or queued for a connection, to its answer's
 * last byte), requests without a 200, errors, how far behind its schedule the
 * generator itself fell, and the CPU it spent a request.
 *
 * It writes HTTP/1.1 on raw sockets, each request's bytes made before the
 * clock starts. node:http's client cost about 0.7 ms of CPU a request: as
 * much as the servers it measured, on the same two cores, so it measured
 * itself as much as them.
 *
 *   node --expose-gc --import tsx bench/loadGenerator.ts <url> <requests.json> <rate>
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

const MAX_CONNECTIONS = 200;
const PRECONNECTED = 16;
const [url, file, rateArg] = process.argv.slice(2);
const rate = Number(rateArg);
const target = new URL(url!);
const requests = (
  JSON.parse(readFileSync(file!, 'utf8')) as Array<{ body: string; headers: Record<string, string> }>
).map(({ body, headers }) => {
  const lines = Object.entries({ ...headers, host: target.host, 'content-length': String(Buffer.byteLength(body)) })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return Buffer.from(`POST ${target.pathname}${target.search} HTTP/1.1\r\n${lines}\r\n${body}`);
});

/** A keep-alive connection, and when the request it is waiting on was sent, if any. */
interface Connection {
  socket: Socket;
  sentAt?: number;
  received: Buffer;
}

const latencies: number[] = [];
const idle: Connection[] = [];
const waiting: number[] = [];
let open = 0;
let non200 = 0;
let errors = 0;
let finished = 0;
let maxBehindMs = 0;

function done(sentAt: number, status: number): void {
  latencies.push(performance.now() - sentAt);
  if (status !== 200) non200++;
  if (++finished === requests.length) report();
}

/** Sends request `i` on an idle connection, a new one, or the next to come free. */
function send(i: number): void {
  const sentAt = performance.now();
  const connection = idle.pop();
  if (connection) return write(connection, i, sentAt);
  if (open >= MAX_CONNECTIONS) return void waiting.push(i, sentAt);
  write(openConnection(), i, sentAt);
}

function openConnection(): Connection {
  open++;
  const socket = connect({ host: target.hostname, port: Number(target.port) });
  socket.setNoDelay(true);
  const connection: Connection = { socket, received: Buffer.alloc(0) };
  socket.on('data', (chunk: Buffer) => onData(connection, chunk));
  socket.on('error', () => undefined); // 'close' follows
  socket.on('close', () => {
    open--;
    const i = idle.indexOf(connection);
    if (i >= 0) idle.splice(i, 1);
    if (connection.sentAt !== undefined) {
      errors++;
      done(connection.sentAt, 0);
    }
  });
  return connection;
}

function write(connection: Connection, i: number, sentAt: number): void {
  connection.sentAt = sentAt;
  connection.socket.write(requests[i]!);
}

/** The whole response's length once its head and body have arrived (Content-Length or chunked), else undefined. */
function responseLength(bytes: Buffer): { length: number; status: number; close: boolean } | undefined {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const head = bytes.toString('latin1', 0, headEnd).toLowerCase();
  const status = Number(head.slice(9, 12));
  const close = /\r\nconnection: *close/.test(head);
  const declared = /\r\ncontent-length: *(\d+)/.exec(head);
  if (declared) {
    const length = headEnd + 4 + Number(declared[1]);
    return bytes.length >= length ? { length, status, close } : undefined;
  }
  if (!/\r\ntransfer-encoding: *chunked/.test(head)) return { length: headEnd + 4, status, close };
  const last = bytes.indexOf('\r\n0\r\n\r\n', headEnd + 2);
  return last < 0 ? undefined : { length: last + 7, status, close };
}

function onData(connection: Connection, chunk: Buffer): void {
  connection.received = connection.received.length ? Buffer.concat([connection.received, chunk]) : chunk;
  const response = responseLength(connection.received);
  if (!response || connection.sentAt === undefined) return;
  connection.received = connection.received.subarray(response.length);
  const sentAt = connection.sentAt;
  connection.sentAt = undefined;
  done(sentAt, response.status);
  if (response.close) return void connection.socket.destroy();
  const next = waiting.splice(0, 2);
  if (next.length) write(connection, next[0]!, next[1]!);
  else idle.push(connection);
}

function report(): void {
  const cpu = process.cpuUsage(cpuAtStart);
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! * 100) / 100;
  const result = { sent: requests.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), non200, errors };
  const cpuMsPerRequest = Math.round(((cpu.user + cpu.system) / 1000 / requests.length) * 1000) / 1000;
  process.stdout.write(`${JSON.stringify({ ...result, maxBehindMs: Math.round(maxBehindMs), cpuMsPerRequest })}\n`);
  for (const connection of idle) connection.socket.destroy();
}

// Connected, and the garbage of reading the file collected, before the clock starts. Without both, the
// first requests took 30-90 ms against every server alike (connections still being set up, and a full
// collection holding back the answers' reading): about as many requests as the p99 is made of.
const ready = Array.from({ length: PRECONNECTED }, openConnection);
await Promise.all(ready.map(({ socket }) => new Promise((resolve) => socket.once('connect', resolve))));
idle.push(...ready);
(globalThis as { gc?: () => void }).gc?.();

const cpuAtStart = process.cpuUsage();
const t0 = performance.now();
let next = 0;
(function tick() {
  const now = performance.now();
  const due = Math.min(requests.length, Math.floor(((now - t0) * rate) / 1000) + 1);
  if (next < due) maxBehindMs = Math.max(maxBehindMs, now - t0 - (next * 1000) / rate);
  while (next < due) send(next++);
  if (next < requests.length) setTimeout(tick, 1);
})();
