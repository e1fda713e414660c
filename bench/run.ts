/**
 * `npm run bench`: the figures behind the performance goals, measured on
 * 127.0.0.1 against the fake Open API and printed as a README markdown table
 * (stdout; progress goes to stderr). The bot runs as a child process, as
 * `npm start` runs it; so do the load generator and the servers it is
 * compared with. The fake Open API runs here.
 *
 *   fairness    1,100 commands from 110 chats in one burst; newcomers at 5 s and
 *               25 s: their waits, each class's p95, the first 900 calls, windows
 *   frontdoor   ack latency at 1,000 signed, encrypted events/s with 3,000 queued:
 *               the bot, bare node:http, bare Express, the SDK's adapter, interleaved
 *   drain       1,000 and 2,000 distinct queued queries; memory over backlogs
 *   coalescing  100 people asking for one id within a second
 *   startup     process start to /readyz
 *
 * `npm run bench -- --quick` fits in a few minutes (fairness, a shorter front
 * door, start-up); `--profile` runs the bot under --cpu-prof in the front door
 * and prints where its CPU went; scenario names run only those.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { rmSync } from 'node:fs';
import { fairness } from './fairness.js';
import { frontDoor } from './frontDoor.js';
import { answered, dir, log, newFake, rows, rssMb, sendCommands, startBot, stop } from './common.js';
import { peakInWindow } from '../test/support/windows.js';

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
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const profile = args.includes('--profile');
  const only = args.filter((a) => !a.startsWith('--'));
  const scenarios: Record<string, () => Promise<void>> = {
    fairness,
    frontdoor: () => frontDoor({ rounds: quick ? 3 : 5, seconds: quick ? 10 : 20, rate: 1000, queued: 3000, profile }),
    drain: async () => {
      await drain(1000);
      await drain(2000);
      await repeatedBacklogs(3, 500);
    },
    coalescing,
    startup: startUp,
  };
  const chosen = only.length > 0 ? only : quick ? ['fairness', 'frontdoor', 'startup'] : Object.keys(scenarios);
  const loadBefore = loadavg();
  for (const name of chosen) {
    const scenario = scenarios[name];
    if (!scenario) throw new Error(`no scenario ${name}: ${Object.keys(scenarios).join(', ')}`);
    await scenario();
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');
  process.stdout.write(
    `\n| scenario | result | notes |\n| --- | --- | --- |\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n\n` +
      `Machine: ${machine}; load average ${load(loadBefore)} before, ${load(loadavg())} after${quick ? ' (--quick)' : ''}\n`,
  );
  if (!profile) rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
