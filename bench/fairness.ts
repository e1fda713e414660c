/**
 * Fairness, measured from outside against the bot in live mode: 1,100
 * commands from 110 chats (10 people each, 1,100 people) in one burst, and
 * newcomers — each a new chat with one query — 5 s and 25 s into it. Twenty
 * watches (every minute) run meanwhile, so the watch class has waits too.
 */
import type { FakeOpenApi } from '../src/dev/demo/fakeOpenApi.js';
import { peakInWindow } from '../test/support/windows.js';
import {
  answered,
  commandIn,
  deliverAll,
  log,
  newFake,
  quantile,
  rows,
  secs,
  sleep,
  startBot,
  stop,
} from './common.js';
import { deliver } from '../test/support/delivery.js';

const CHATS = 110;
const PER_CHAT = 10;
const NEWCOMERS = 10;
const WATCHES = 20;
const CLASSES = ['person', 'bulk', 'watch'] as const;

/** Buckets of one histogram series from Prometheus text: [upper bound, cumulative count], ascending. */
function buckets(text: string, name: string, labels: Record<string, string>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}_bucket{`)) continue;
    const found: Record<string, string | undefined> = Object.fromEntries(
      [...line.matchAll(/(\w+)="([^"]*)"/g)].map((m): [string, string] => [m[1]!, m[2]!]),
    );
    if (!Object.entries(labels).every(([k, v]) => found[k] === v)) continue;
    out.push([found.le === '+Inf' ? Infinity : Number(found.le), Number(line.slice(line.lastIndexOf(' ') + 1))]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** The p95 of a histogram, interpolated within its bucket as Prometheus's histogram_quantile does. */
function p95(series: Array<[number, number]>): string {
  const total = series.at(-1)?.[1] ?? 0;
  if (total === 0) return '—';
  const target = 0.95 * total;
  let [lower, below] = [0, 0];
  for (const [le, count] of series) {
    if (count >= target) {
      if (le === Infinity) return `> ${lower} s`;
      return `${(lower + ((le - lower) * (target - below)) / (count - below || 1)).toFixed(2)} s`;
    }
    [lower, below] = [le, count];
  }
  return '—';
}

/** Sends NEWCOMERS single queries from new chats, 100 ms apart, from `atMs` after `t0`; their waits in ms. */
async function newcomers(url: string, fake: FakeOpenApi, t0: number, atMs: number): Promise<number[]> {
  await sleep(t0 + atMs - Date.now());
  const sent: Array<{ messageId: string; at: number }> = [];
  for (let i = 0; i < NEWCOMERS; i++) {
    const c = commandIn(fake, `oc_new_${atMs}_${i}`, `ou_new_${atMs}_${i}`, `/reads bm_new_${atMs}_${i}`);
    const at = Date.now();
    void deliver(url, c.request);
    sent.push({ messageId: c.messageId, at });
    await sleep(100);
  }
  await answered(
    fake,
    sent.map((s) => s.messageId),
    120_000,
  );
  return sent.map((s) => fake.repliesTo(s.messageId)[0]!.at - s.at);
}

export async function fairness(): Promise<void> {
  log(`fairness: ${CHATS * PER_CHAT} commands from ${CHATS} chats in one burst, newcomers at 5 s and 25 s…`);
  const fake = await newFake();
  const bot = await startBot(fake);
  const backlog = Array.from({ length: CHATS * PER_CHAT }, (_, i) => {
    const chat = i % CHATS;
    const n = Math.floor(i / CHATS);
    return commandIn(fake, `oc_fair_${chat}`, `ou_fair_${chat}_${n}`, `/reads bm_fair_${chat}_${n}`);
  });
  const watches = Array.from({ length: WATCHES }, (_, i) =>
    commandIn(fake, `oc_watch_${i}`, `ou_watch_${i}`, `/reads bm_watched_${i} watch 10m every 1m`),
  );
  const t0 = Date.now();
  const [, , early, late] = await Promise.all([
    deliverAll(
      bot.url,
      backlog.map((c) => c.request),
    ),
    sleep(2_000).then(() =>
      deliverAll(
        bot.url,
        watches.map((c) => c.request),
      ),
    ),
    newcomers(bot.url, fake, t0, 5_000),
    newcomers(bot.url, fake, t0, 25_000),
  ]);
  await answered(
    fake,
    backlog.map((c) => c.messageId),
  );
  const drainedMs = Math.max(...backlog.map((c) => fake.repliesTo(c.messageId)[0]!.at)) - t0;
  // Each watch's first tick, a minute after it started, waits its turn behind the backlog.
  const watched = () => fake.readUserCalls.filter((c) => c.batchId.startsWith('bm_watched_')).length;
  for (const deadline = Date.now() + 120_000; watched() < 2 * WATCHES && Date.now() < deadline;) await sleep(100);
  const metrics = await (await fetch(`${bot.url}/metrics`)).text();
  await stop(bot.child);
  await fake.close();

  const calls = fake.readUserCalls.map((c) => c.at).sort((a, b) => a - b);
  const watchTicks = fake.readUserCalls.filter((c) => c.batchId.startsWith('bm_watched_')).length - WATCHES;
  const waits = (label: string, ms: number[]) =>
    rows.push([
      `newcomer sent ${label} into the backlog`,
      `p95 ${secs(quantile(ms, 0.95))}, max ${secs(Math.max(...ms))} (${ms.length} newcomers, 100 ms apart)`,
      'from its event to its reply reaching the fake Open API; goal p95 ≤ 3 s',
    ]);
  waits('5 s', early);
  waits('25 s', late);
  rows.push([
    'first 900 read_user calls',
    `${secs(calls[899]! - t0)} from the burst's start`,
    'any class (the newcomers and the watches’ first queries count); goal ≤ 21.5 s',
  ]);
  const byClass = (name: string, extra: Record<string, string> = {}) =>
    CLASSES.map((cls) => `${cls} ${p95(buckets(metrics, name, { class: cls, ...extra }))}`).join(', ');
  rows.push([
    'p95 wait for a read_user slot, by class',
    byClass('feishu_reads_bot_call_wait_seconds', { endpoint: 'read_user' }),
    `call_wait_seconds from /metrics, interpolated in its bucket; ${WATCHES} watches started 2 s in, ${watchTicks} ticks`,
  ]);
  rows.push([
    'p95 from acceptance to answer, by class',
    byClass('feishu_reads_bot_queue_wait_seconds'),
    'queue_wait_seconds from /metrics, interpolated in its bucket',
  ]);
  rows.push([
    'backlog answered',
    `${secs(drainedMs)} for ${(CHATS * PER_CHAT).toLocaleString('en-US')} + ${2 * NEWCOMERS + WATCHES} commands`,
    'read_user allows 1,000 a minute, of which bulk may use 900',
  ]);
  rows.push([
    'peak read_user calls in any window',
    `${peakInWindow(calls, 1000)}/1 s, ${peakInWindow(calls, 60_000)}/60 s; ${fake.violations.length} over the limit; ${fake.readUserCalls.filter((c) => c.status === 429).length} × 429`,
    'arrival times at the fake Open API; limits 50 and 1,000',
  ]);
}
