/**
 * The front door: acknowledgement latency at 1,000 signed, encrypted,
 * distinct message events a second, with 3,000 commands already queued in a
 * bot started afresh for each round. The load generator
 * (bench/loadGenerator.ts) runs in a process of its own; so do the bot, the
 * two floors (bare node:http, bare Express with express.json()) and the peer
 * (the SDK's documented EventDispatcher + adaptExpress), and every server
 * gets the very same bytes in each round. The servers' turns are interleaved
 * and rotated, so noise on shared cores hits them alike, and the table takes
 * the median over rounds.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeOpenApi } from '../src/dev/demo/fakeOpenApi.js';
import { NODE_ARGS } from '../test/support/process.js';
import {
  commandIn,
  cpuMs,
  dir,
  log,
  median,
  newFake,
  rows,
  rssMb,
  startBot,
  startFloor,
  stop,
  type Bot,
} from './common.js';

export interface FrontDoorOptions {
  rounds: number;
  seconds: number;
  rate: number;
  queued: number;
  /** Run the bot with --cpu-prof and print where its CPU went. */
  profile: boolean;
}

interface Latency {
  sent: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non200: number;
  errors: number;
  maxBehindMs: number;
  /** The generator's own CPU a request: what it takes of the cores the servers share. */
  cpuMsPerRequest: number;
}

interface Server {
  name: string;
  url: string;
  pid: number;
  results: Latency[];
  /** CPU ms the server used per request, each round. */
  cpu: number[];
}

let batch = 0;

/** `count` distinct commands, each in a chat and from a person of its own, signed and encrypted, in a file. */
function requestsFile(fake: FakeOpenApi, count: number): string {
  const b = batch++;
  const requests = Array.from(
    { length: count },
    (_, n) => commandIn(fake, `oc_load_${b}_${n}`, `ou_load_${b}_${n}`, `/reads bm_load_${b}_${n}`).request,
  );
  const file = join(dir, `requests-${b}.json`);
  writeFileSync(file, JSON.stringify(requests));
  return file;
}

/** Runs the load generator in a child process against `url`; its summary. */
function generate(url: string, file: string, rate: number): Promise<Latency> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', ...NODE_ARGS, 'bench/loadGenerator.ts', `${url}/webhook/event`, file, String(rate)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as Latency) : reject(new Error(`load generator exited ${code}`)),
    );
  });
}

/** The bot's event-loop delay since the last scrape (prom-client resets its monitorEventLoopDelay histogram at each). */
async function loopDelay(bot: Bot): Promise<{ p99: number; max: number }> {
  const text = await (await fetch(`${bot.url}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) * 1000;
  return {
    p99: read('feishu_reads_bot_nodejs_eventloop_lag_p99_seconds'),
    max: read('feishu_reads_bot_nodejs_eventloop_lag_max_seconds'),
  };
}

const ms = (x: number) => `${x.toFixed(2)} ms`;
const range = (xs: number[]) => `${ms(Math.min(...xs))}–${ms(Math.max(...xs))}`;

/**
 * A bot with `queued` commands accepted and waiting. They come from the load
 * generator at the round's rate, so they warm the bot on the very path the
 * round measures, and the round starts with `queued` waiting, not more. Each
 * of its rounds gets a fresh bot: the load's events are commands too, and a
 * round adds thousands to the backlog, so one bot for every round would
 * measure each round with a larger backlog than the last, not with `queued`.
 */
async function readyBot(
  fake: FakeOpenApi,
  o: FrontDoorOptions,
  profileDir: string,
): Promise<{ bot: Bot; rss: [number, number] }> {
  const bot = await startBot(fake, {}, o.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  const atStart = rssMb(bot.child.pid!);
  const backlog = requestsFile(fake, o.queued);
  await generate(bot.url, backlog, o.rate);
  rmSync(backlog);
  return { bot, rss: [atStart, rssMb(bot.child.pid!)] };
}

export async function frontDoor(o: FrontDoorOptions): Promise<void> {
  log(
    `front door: ${o.rounds} rounds of ${o.rate}/s for ${o.seconds} s against 4 servers, the bot with ${o.queued.toLocaleString('en-US')} commands queued…`,
  );
  const fake = await newFake();
  const profileDir = join(dir, 'profile');
  if (o.profile) mkdirSync(profileDir);
  const floors = await Promise.all(
    [
      ['bare node:http', 'bench/floors/bareHttp.ts'],
      ['bare Express + express.json()', 'bench/floors/bareExpress.ts'],
      ['SDK EventDispatcher + adaptExpress', 'bench/floors/sdkAdapter.ts'],
    ].map(async ([name, file]) => ({ name: name!, ...(await startFloor(file!)) })),
  );
  const servers: Server[] = [
    { name: 'the bot', url: '', pid: 0, results: [], cpu: [] },
    ...floors.map((f) => ({ name: f.name, url: f.url, pid: f.child.pid!, results: [], cpu: [] })),
  ];
  const [botS] = servers as [Server];

  // Warm-up for the floors and the peer, started once: as many events as the bot's backlog, at the same rate.
  const warm = requestsFile(fake, o.queued);
  for (const s of servers.slice(1)) await generate(s.url, warm, o.rate);
  rmSync(warm);

  const delays: Array<{ p99: number; max: number }> = [];
  const memory: Array<{ start: number; queued: number; after: number }> = [];
  for (let round = 0; round < o.rounds; round++) {
    const file = requestsFile(fake, o.rate * o.seconds);
    const { bot, rss } = await readyBot(fake, o, profileDir);
    Object.assign(botS, { url: bot.url, pid: bot.child.pid! });
    const order = servers.map((_, i) => servers[(i + round) % servers.length]!);
    for (const s of order) {
      if (s === botS) await loopDelay(bot);
      const cpuBefore = cpuMs(s.pid);
      const result = await generate(s.url, file, o.rate);
      s.cpu.push((cpuMs(s.pid) - cpuBefore) / result.sent);
      if (s === botS) delays.push(await loopDelay(bot));
      s.results.push(result);
      log(
        `  round ${round + 1}, ${s.name}: p50 ${ms(result.p50)}, p99 ${ms(result.p99)}, max ${ms(result.max)}, ${result.non200} non-200, CPU ${ms(s.cpu.at(-1)!)}/request, generator ≤ ${result.maxBehindMs} ms behind, its CPU ${ms(result.cpuMsPerRequest)}/request`,
      );
    }
    memory.push({ start: rss[0], queued: rss[1], after: rssMb(bot.child.pid!) });
    await stop(bot.child, o.profile ? 'SIGTERM' : 'SIGKILL');
    rmSync(file);
  }

  const [, http, express, sdk] = servers as [Server, Server, Server, Server];
  const ratio = (over: Server, key: 'p50' | 'p99') =>
    median(botS.results.map((r, i) => r[key] / over.results[i]![key]));
  for (const s of servers) {
    const p50s = s.results.map((r) => r.p50);
    const p99s = s.results.map((r) => r.p99);
    const non200 = s.results.reduce((n, r) => n + r.non200 + r.errors, 0);
    const sent = s.results.reduce((n, r) => n + r.sent, 0);
    rows.push([
      `ack latency, ${s.name}`,
      `p50 ${ms(median(p50s))} (${range(p50s)}), p99 ${ms(median(p99s))} (${range(p99s)}); CPU ${ms(median(s.cpu))}/request; ${non200} of ${sent.toLocaleString('en-US')} without a 200`,
      `median (and range) of ${o.rounds} interleaved rounds`,
    ]);
  }
  rows.push([
    'the bot / bare Express',
    `p50 ${ratio(express, 'p50').toFixed(2)}×, p99 ${ratio(express, 'p99').toFixed(2)}×`,
    'median of the rounds’ ratios; goal p50 ≤ 1.25×, p99 ≤ 1.5×',
  ]);
  rows.push([
    'the bot / bare node:http',
    `p50 ${ratio(http, 'p50').toFixed(2)}×, p99 ${ratio(http, 'p99').toFixed(2)}×`,
    'median of the rounds’ ratios (the floor under any framework)',
  ]);
  rows.push([
    'the bot / the SDK’s adapter',
    `p50 ${ratio(sdk, 'p50').toFixed(2)}×, p99 ${ratio(sdk, 'p99').toFixed(2)}×`,
    'median of the rounds’ ratios; goal below 1× (ahead of the peer)',
  ]);
  const generatorCpu = servers.flatMap((s) => s.results.map((r) => r.cpuMsPerRequest));
  rows.push([
    'the load generator',
    `CPU ${ms(median(generatorCpu))}/request (${range(generatorCpu)}); ≤ ${Math.max(...servers.flatMap((s) => s.results.map((r) => r.maxBehindMs)))} ms behind its schedule`,
    'a process of its own, on the same two cores as the server it loads',
  ]);
  rows.push([
    'the bot’s event-loop delay under load',
    `p99 ${ms(median(delays.map((d) => d.p99)))}, max ${ms(median(delays.map((d) => d.max)))}`,
    'monitorEventLoopDelay over each round, median of the rounds',
  ]);
  const mb = (key: 'start' | 'queued' | 'after') => `${median(memory.map((m) => m[key]))} MB`;
  rows.push([
    `memory, ${o.queued.toLocaleString('en-US')} pending`,
    `${mb('start')} at start → ${mb('queued')} just after they were accepted → ${mb('after')} after the round`,
    `RSS of the bot process, median of its ${o.rounds} starts (goal ≤ 150 MB with ${o.queued.toLocaleString('en-US')} pending); after the round, ${(o.queued + o.rate * o.seconds).toLocaleString('en-US')} accepted`,
  ]);

  for (const f of floors) await stop(f.child, 'SIGTERM');
  await fake.close();
  if (o.profile) {
    // CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile: the main thread's (0) of the last bot; its worker threads write their own.
    const file = readdirSync(profileDir)
      .filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f))
      .sort()
      .at(-1);
    log(file ? `CPU profile of the bot's last round: ${join(profileDir, file)}` : 'no CPU profile written');
    if (file) (await import('./profileSummary.js')).printTop(join(profileDir, file), 25);
  }
}
