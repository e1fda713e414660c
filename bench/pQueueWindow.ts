/**
 * `node --import tsx bench/pQueueWindow.ts`: why the rate limits are sliding
 * windows of our own and not p-queue's `interval`/`intervalCap`. Each limiter,
 * set to Feishu's 50 calls a second, gets the same 150 calls. A call is on its
 * way to "Feishu" for up to TRANSIT_MS (the first also waits for the app's
 * token), arrives, and is answered a little later. The script prints the most
 * calls any sliding second saw, counted when they started and when they
 * arrived, on `Date.now` as p-queue counts, as a range over a few trials.
 */
import PQueue from 'p-queue';
import { SlidingWindowLog } from '../src/scheduling/slidingWindow.js';

const LIMIT = { windowMs: 1_000, max: 50 };
const CALLS = 150;
const TOKEN_MS = 400;
const TRANSIT_MS = 100;
const ANSWER_MS = 30;
/** The first call opens p-queue's window; the others come just before it ends. */
const LATE_MS = 990;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The same transit times in every limiter's trial `seed` (a linear congruential generator). */
function randomOf(seed: number): () => number {
  let x = seed + 1;
  return () => (x = (x * 48_271) % 2_147_483_647) / 2_147_483_647;
}

interface Trace {
  starts: number[];
  arrivals: number[];
}

/** A fake Feishu call: on its way a while (the first also waits for the token), then it arrives and is answered. */
function fakeFeishu(trace: Trace, random: () => number): () => Promise<void> {
  let token: Promise<void> | undefined;
  return async () => {
    trace.starts.push(Date.now());
    token ??= sleep(TOKEN_MS);
    await Promise.all([token, sleep(random() * TRANSIT_MS)]);
    trace.arrivals.push(Date.now());
    await sleep(ANSWER_MS);
  };
}

function busiestSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= LIMIT.windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

async function offer(run: () => Promise<void>): Promise<void> {
  const calls = [run()];
  await sleep(LATE_MS);
  for (let i = 1; i < CALLS; i++) calls.push(run());
  await Promise.all(calls);
}

async function withPQueue(strict: boolean, seed: number): Promise<Trace> {
  const trace: Trace = { starts: [], arrivals: [] };
  const call = fakeFeishu(trace, randomOf(seed));
  const queue = new PQueue({ interval: LIMIT.windowMs, intervalCap: LIMIT.max, strict });
  await offer(() => queue.add(call));
  return trace;
}

async function withSlidingWindow(seed: number): Promise<Trace> {
  const trace: Trace = { starts: [], arrivals: [] };
  const call = fakeFeishu(trace, randomOf(seed));
  const log = new SlidingWindowLog([LIMIT]);
  await offer(async () => {
    for (let delay = log.delayUntilAdmissible(Date.now()); delay > 0;) {
      await sleep(Number.isFinite(delay) ? delay : ANSWER_MS);
      delay = log.delayUntilAdmissible(Date.now());
    }
    log.admit();
    try {
      await call();
    } finally {
      log.complete(Date.now());
    }
  });
  return trace;
}

const TRIALS = 5;
const limiters: [string, (seed: number) => Promise<Trace>][] = [
  ['p-queue {interval: 1000, intervalCap: 50}', (seed) => withPQueue(false, seed)],
  ['p-queue, the same with strict: true', (seed) => withPQueue(true, seed)],
  ['SlidingWindowLog, 50 a second', withSlidingWindow],
];
const range = (counts: number[]) =>
  Math.min(...counts) === Math.max(...counts) ? `${counts[0]}` : `${Math.min(...counts)}–${Math.max(...counts)}`;
console.log(
  `| limiter (${TRIALS} trials of ${CALLS} calls) | most starts in one second | most arrivals in one second |`,
);
console.log('| --- | --- | --- |');
for (const [name, run] of limiters) {
  const starts: number[] = [];
  const arrivals: number[] = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    const trace = await run(trial);
    starts.push(busiestSecond(trace.starts));
    arrivals.push(busiestSecond(trace.arrivals));
  }
  console.log(`| ${name} | ${range(starts)} | ${range(arrivals)} |`);
}
