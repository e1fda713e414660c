/**
 * `npm run bench`: the figures behind the performance goals, measured on
 * 127.0.0.1 against the fake Open API, printed as a table. The bot runs as a
 * child process, as `npm start` runs it; the fake Open API and the load
 * generator run here.
 *
 *   drain       1,000 and 2,000 distinct queued queries: time vs the minimum,
 *               peak calls in any 1 s and 60 s window (the fake's own clock), 429s,
 *               RSS before, at the last answer, and once back near the start; then three
 *               backlogs of 500 on one bot, to show memory does not climb
 *   coalescing  100 people asking for one id within a second
 *   front door  ack latency at 1,000 signed, encrypted events/s for 30 s, with
 *               10,000 commands already queued, vs a bare Express endpoint, in
 *               three rounds; RSS with those 10,000 pending
 *   start-up    process start to /readyz
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { FakeOpenApi } from '../src/demo/fakeOpenApi.js';
import { feishuRequest, messageEvent, newMessageId } from '../src/demo/feishuEvents.js';
import { command, deliver } from '../test/support/delivery.js';
import { APP, KEY, TOKEN } from '../test/support/harness.js';
import { childEnv, freePort, liveBotEnv, NODE_ARGS, startBotProcess } from '../test/support/process.js';
import { peakInWindow } from '../test/support/windows.js';

const rows: Array<[string, string, string]> = [];
const dir = mkdtempSync(join(tmpdir(), 'reads-bench-'));
let run = 0;

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function newFake(): Promise<FakeOpenApi> {
  const fake = new FakeOpenApi({ ...APP, fallback: () => ({ kind: 'counts', read: 1, total: 2 }) });
  await fake.listen();
  return fake;
}

interface Bot {
  child: ChildProcess;
  url: string;
  startedMs: number;
}

async function startBot(fake: FakeOpenApi, extra: Record<string, string> = {}): Promise<Bot> {
  const began = performance.now();
  const bot = await startBotProcess((port) =>
    liveBotEnv({ ...APP, token: TOKEN, encryptKey: KEY }, fake.baseUrl, {
      PORT: String(port),
      BOT_DB_PATH: join(dir, `bot-${run++}.db`),
      LOG_LEVEL: 'error',
      QUEUE_MAX_PENDING: '100000',
      CHAT_MAX_PENDING: '10000',
      USER_COMMANDS_PER_MINUTE: '10000',
      ...extra,
    }),
  );
  return { child: bot.child, url: bot.url, startedMs: performance.now() - began };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** Sends commands as Feishu would, `concurrency` at a time; returns their message ids. */
async function sendCommands(url: string, fake: FakeOpenApi, texts: string[], concurrency = 50): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < texts.length) {
        const i = next++;
        const c = command(fake, i, texts[i]!);
        const status = await deliver(url, c.request);
        if (status !== 200) throw new Error(`event refused: HTTP ${status}`);
        ids.push(c.messageId);
      }
    }),
  );
  return ids;
}

/** V8 gives memory back some seconds after the work stops: RSS once within 5% of `start`, or after 30 s. */
async function settledRss(pid: number, start: number): Promise<{ mb: number; seconds: number; back: boolean }> {
  let seconds = 0;
  while (rssMb(pid) > start * 1.05 && seconds < 30) {
    await new Promise((r) => setTimeout(r, 1000));
    seconds++;
  }
  const mb = rssMb(pid);
  return { mb, seconds, back: mb <= start * 1.05 };
}

async function answered(fake: FakeOpenApi, ids: string[]): Promise<void> {
  const wanted = new Set(ids);
  while (fake.replies.filter((r) => wanted.has(r.parentId)).length < ids.length)
    await new Promise((r) => setTimeout(r, 50));
}

/** Backlog after backlog on one bot: memory must not climb with each. */
async function repeatedBacklogs(rounds: number, count: number): Promise<void> {
  log(`memory: ${rounds} backlogs of ${count} on one bot…`);
  const fake = await newFake();
  const bot = await startBot(fake);
  const start = rssMb(bot.child.pid!);
  const settled: number[] = [];
  for (let round = 0; round < rounds; round++) {
    await answered(
      fake,
      await sendCommands(
        bot.url,
        fake,
        Array.from({ length: count }, (_, i) => `/reads bm_round_${round}_${i}`),
      ),
    );
    settled.push((await settledRss(bot.child.pid!, start)).mb);
  }
  rows.push([
    `memory over ${rounds} backlogs of ${count} on one bot`,
    `${start} MB at start → ${settled.map((mb) => `${mb} MB`).join(', ')} after each`,
    'RSS once back within 5% of the start, or 30 s after the last answer',
  ]);
  await stop(bot.child);
  await fake.close();
}

async function drain(count: number): Promise<void> {
  log(`drain: ${count} distinct queries…`);
  const fake = await newFake();
  const bot = await startBot(fake);
  const rssAtStart = rssMb(bot.child.pid!);
  const started = Date.now();
  await answered(
    fake,
    await sendCommands(
      bot.url,
      fake,
      Array.from({ length: count }, (_, i) => `/reads bm_drain_${count}_${i}`),
    ),
  );
  const seconds = (Date.now() - started) / 1000;
  const calls = fake.readUserCalls.map((c) => c.at);
  const minimum = count <= 1000 ? count / 50 : 60 + (count - 1000) / 50;
  rows.push([
    `drain ${count.toLocaleString('en-US')} queries`,
    `${seconds.toFixed(1)} s (minimum ${minimum} s)`,
    `peak ${peakInWindow(calls, 1000)}/1 s, ${peakInWindow(calls, 60_000)}/60 s; ${fake.violations.length} over the limit; ${fake.readUserCalls.filter((c) => c.status === 429).length} × 429`,
  ]);
  const rssDrained = rssMb(bot.child.pid!);
  const after = await settledRss(bot.child.pid!, rssAtStart);
  rows.push([
    `memory after draining ${count.toLocaleString('en-US')}`,
    `${rssAtStart} MB at start → ${rssDrained} MB at the last answer → ${after.mb} MB ${after.seconds} s later`,
    after.back
      ? 'RSS of the bot process: back within 5% of the start'
      : 'RSS of the bot process: not back within 5% of the start after 30 s',
  ]);
  await stop(bot.child);
  await fake.close();
}

async function coalescing(): Promise<void> {
  log('coalescing: 100 people, one id, within a second…');
  const fake = await newFake();
  const bot = await startBot(fake);
  await answered(
    fake,
    await sendCommands(
      bot.url,
      fake,
      Array.from({ length: 100 }, () => '/reads bm_popular'),
      100,
    ),
  );
  const calls = fake.readUserCalls.filter((c) => c.batchId === 'bm_popular').length;
  rows.push([
    'coalescing',
    `100 queries → ${calls} read_user call${calls === 1 ? '' : 's'}`,
    `ratio ${(100 / calls).toFixed(0)} : 1`,
  ]);
  await stop(bot.child);
  await fake.close();
}

interface Latency {
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  sent: number;
}

const LOAD_SECONDS = 30;
const LOAD_RATE = 1000;

/**
 * The events of one load run, signed and encrypted before it starts, so the
 * load generator's own work is the same for the bot and for the bare
 * endpoint (which gets the very same bytes).
 */
function loadEvents(): Array<{ body: string; headers: Record<string, string> }> {
  return Array.from({ length: LOAD_SECONDS * LOAD_RATE }, (_, n) =>
    feishuRequest(
      messageEvent({
        token: TOKEN,
        text: `/reads bm_load_${n}`,
        messageId: newMessageId(),
        chatId: `oc_load_${n}`,
        senderOpenId: `ou_load_${n}`,
      }),
      KEY,
    ),
  );
}

async function load(url: string, events: ReturnType<typeof loadEvents>): Promise<Latency> {
  let n = 0;
  const result = await autocannon({
    url: `${url}/webhook/event`,
    connections: 100,
    overallRate: LOAD_RATE,
    duration: LOAD_SECONDS,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const r = events[n++ % events.length]!;
          return { ...req, body: r.body, headers: r.headers };
        },
      },
    ],
  });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    sent: result.requests.total,
  };
}

/** The front door is measured in rounds, bot then bare, because one 30 s p99 on shared cores is mostly noise. */
const ROUNDS = 3;

async function frontDoor(): Promise<void> {
  log(`front door: ${ROUNDS} rounds of 10,000 commands queued, then 1,000 events/s for 30 s, vs bare Express…`);
  const fake = await newFake();
  const events = loadEvents();
  const ratios: Array<{ p50: number; p99: number }> = [];
  const fmt = (l: Latency) =>
    `p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms (${l.sent.toLocaleString('en-US')} requests, ${l.non2xx} non-2xx)`;
  for (let round = 1; round <= ROUNDS; round++) {
    const bot = await startBot(fake);
    const baseline = rssMb(bot.child.pid!);
    await sendCommands(
      bot.url,
      fake,
      Array.from({ length: 10_000 }, (_, i) => `/reads bm_backlog_${round}_${i}`),
      100,
    );
    const pending = rssMb(bot.child.pid!);
    await new Promise((r) => setTimeout(r, 10_000)); // still ~9,800 pending: the backlog drains at 1000 a minute
    const settled = rssMb(bot.child.pid!);
    if (round === 1) {
      rows.push([
        'memory, 10,000 pending',
        `${baseline} MB at start → ${pending} MB just after they were accepted, ${settled} MB 10 s later`,
        'RSS of the bot process (goal ≤ 150 MB)',
      ]);
    }
    const botLatency = await load(bot.url, events);
    await stop(bot.child);

    const port = await freePort();
    const bare = spawn(process.execPath, [...NODE_ARGS, 'bench/bareExpress.ts'], {
      env: childEnv({ PORT: String(port) }),
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise((resolve) => bare.stdout.once('data', resolve));
    const bareLatency = await load(`http://127.0.0.1:${port}`, events);
    await stop(bare);

    ratios.push({ p50: botLatency.p50 / bareLatency.p50, p99: botLatency.p99 / bareLatency.p99 });
    rows.push([
      `ack latency round ${round}, bot`,
      fmt(botLatency),
      'distinct signed + encrypted events, built before the run; 10,000 already queued',
    ]);
    rows.push([
      `ack latency round ${round}, bare Express`,
      fmt(bareLatency),
      'the same requests, same rate, same machine, just after',
    ]);
    rows.push([
      `ratio round ${round}`,
      `p50 ${ratios.at(-1)!.p50.toFixed(2)}×, p99 ${ratios.at(-1)!.p99.toFixed(2)}×`,
      'bot / bare',
    ]);
  }
  await fake.close();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  rows.push([
    `ratio, median of ${ROUNDS} rounds`,
    `p50 ${median(ratios.map((r) => r.p50)).toFixed(2)}×, p99 ${median(ratios.map((r) => r.p99)).toFixed(2)}×`,
    'goal ≤ 1.5× each',
  ]);
}

async function startUp(): Promise<void> {
  log('start-up…');
  const fake = await newFake();
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const bot = await startBot(fake);
    times.push(bot.startedMs);
    await stop(bot.child);
  }
  await fake.close();
  rows.push([
    'start-up to /readyz',
    `${times.map((t) => `${Math.round(t)} ms`).join(', ')}`,
    'node dist/main.js, as npm start runs it after bundling (goal ≤ 1 s)',
  ]);
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const scenarios: Record<string, () => Promise<void>> = {
    drain: async () => {
      await drain(1000);
      await drain(2000);
      await repeatedBacklogs(3, 500);
    },
    coalescing,
    frontdoor: frontDoor,
    startup: startUp,
  };
  for (const [name, scenario] of Object.entries(scenarios))
    if (only.length === 0 || only.includes(name)) await scenario();
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  process.stdout.write(
    `\n| scenario | result | notes |\n| --- | --- | --- |\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n\nMachine: ${machine}\n`,
  );
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
