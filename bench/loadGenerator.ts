/**
 * An open-loop load generator, run as a child process of the benchmark so it
 * never shares an event loop with what it measures. It sends the requests of
 * a file (a JSON array of {body, headers}) to `url` at `rate` a second, on
 * schedule whether or not earlier ones were answered, over up to 200
 * keep-alive connections, and prints one JSON line: latency percentiles (from
 * each request's send to its last byte), requests without a 200, errors, and
 * how far behind its schedule the generator itself fell.
 *
 *   node --import tsx bench/loadGenerator.ts <url> <requests.json> <rate>
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

const [url, file, rateArg] = process.argv.slice(2);
const rate = Number(rateArg);
const requests = JSON.parse(readFileSync(file!, 'utf8')) as Array<{ body: string; headers: Record<string, string> }>;
const agent = new Agent({ keepAlive: true, maxSockets: 200 });
const latencies: number[] = [];
let non200 = 0;
let errors = 0;
let finished = 0;
let maxBehindMs = 0;

function send(i: number): void {
  const { body, headers } = requests[i]!;
  const start = performance.now();
  const done = (status: number) => {
    latencies.push(performance.now() - start);
    if (status !== 200) non200++;
    if (++finished === requests.length) report();
  };
  const req = request(url!, { method: 'POST', agent, headers }, (res) => {
    res.resume();
    res.on('end', () => done(res.statusCode ?? 0));
  });
  req.on('error', () => {
    errors++;
    done(0);
  });
  req.end(body);
}

function report(): void {
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! * 100) / 100;
  const result = { sent: requests.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), non200, errors };
  process.stdout.write(`${JSON.stringify({ ...result, maxBehindMs: Math.round(maxBehindMs) })}\n`);
  agent.destroy();
}

const t0 = performance.now();
let next = 0;
(function tick() {
  const elapsed = performance.now() - t0;
  const due = Math.min(requests.length, Math.floor((elapsed * rate) / 1000) + 1);
  if (next < due) maxBehindMs = Math.max(maxBehindMs, elapsed - (next * 1000) / rate);
  while (next < due) send(next++);
  if (next < requests.length) setTimeout(tick, 1);
})();
