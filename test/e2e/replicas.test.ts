/**
 * Several replicas on Redis: three bot processes on their own ports, started
 * as `npm start` starts them with REDIS_URL pointing at one real
 * redis-server, in front of one fake Open API that counts every call on its
 * own clock, as Feishu does.
 */
import { Redis } from 'ioredis';
import { FakeOpenApi } from '../../src/dev/demo/fakeOpenApi.js';
import { RedisWatches, WATCH_LOCK_MS } from '../../src/state/redis/redisWatches.js';
import { buttonValue, cardText } from '../support/cards.js';
import { command, deliver, everyAnsweredOnce } from '../support/delivery.js';
import { APP, KEY, TOKEN } from '../support/harness.js';
import { liveBotEnv, startBotProcess, type RunningBot } from '../support/process.js';
import { sample, scrape } from '../support/prometheus.js';
import { RedisServer } from '../support/redisServer.js';
import { peakInWindow } from '../support/windows.js';
import { until } from '../support/until.js';

let fake: FakeOpenApi;
let redis: RedisServer;
let bots: RunningBot[] = [];

beforeEach(async () => {
  fake = new FakeOpenApi({ ...APP, fallback: () => ({ kind: 'counts', read: 3, total: 4, delayMs: 50 }) });
  await fake.listen();
  redis = await RedisServer.start({ persist: true });
});
afterEach(async () => {
  for (const bot of bots) bot.child.kill('SIGKILL');
  await Promise.all(bots.map((b) => b.exited));
  bots = [];
  await fake.close();
  await redis.close();
});

async function replicas(count: number): Promise<RunningBot[]> {
  bots = await Promise.all(
    Array.from({ length: count }, () =>
      startBotProcess((port) =>
        liveBotEnv({ ...APP, token: TOKEN, encryptKey: KEY }, fake.baseUrl, {
          PORT: String(port),
          REDIS_URL: redis.url,
        }),
      ),
    ),
  );
  return bots;
}

const readyz = async (url: string) => {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, checks: ((await res.json()) as { checks: Record<string, boolean> }).checks };
};

it('answers the same event delivered to two replicas once', async () => {
  const [a, b] = await replicas(2);
  const c = command(fake, 1, '/reads bm_twice');
  expect(await Promise.all([deliver(a!.url, c.request), deliver(b!.url, c.request)])).toEqual([200, 200]);
  await everyAnsweredOnce(fake, [c.messageId]);
  const hits = await Promise.all(
    [a!, b!].map(async (bot) => sample((await scrape(bot.url)).text, 'feishu_reads_bot_dedupe_hits_total')),
  );
  expect(hits.sort()).toEqual([0, 1]); // one replica took it, the other saw a redelivery
  expect(fake.readUserCalls).toHaveLength(1);
});

it('keeps a 1,500-query burst spread over three replicas within 50/s and 1000/min in total', async () => {
  const three = await replicas(3);
  const sent = [];
  for (let i = 0; i < 1500; i += 100) {
    const chunk = Array.from({ length: 100 }, (_, k) => command(fake, i + k, `/reads bm_burst_${i + k}`));
    const statuses = await Promise.all(chunk.map((c, k) => deliver(three[(i + k) % 3]!.url, c.request)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    sent.push(...chunk);
  }
  await everyAnsweredOnce(
    fake,
    sent.map((c) => c.messageId),
    120_000,
  );
  const arrivals = fake.readUserCalls.map((c) => c.at);
  expect(arrivals).toHaveLength(1500);
  expect(peakInWindow(arrivals, 1_000)).toBeLessThanOrEqual(50);
  expect(peakInWindow(arrivals, 60_000)).toBeLessThanOrEqual(1_000);
  expect(peakInWindow(arrivals, 60_000)).toBeGreaterThan(900); // and the replicas do use the budget together
  expect(
    peakInWindow(
      fake.replies.map((r) => r.at),
      1_000,
    ),
  ).toBeLessThanOrEqual(50);
  expect(fake.violations).toEqual([]);
}, 180_000);

it('keeps a watch going when the replica that drove it is killed', async () => {
  await replicas(3);
  fake.setBatch('bm_watched', { kind: 'counts', read: 1, total: 4 });
  const c = command(fake, 1, '/reads bm_watched watch 10m every 1m');
  expect(await deliver(bots[0]!.url, c.request)).toBe(200);
  await everyAnsweredOnce(fake, [c.messageId]);
  const card = fake.repliesTo(c.messageId)[0]!;
  const watchId = String(buttonValue(card.card, 'Stop watching')?.w);

  const client = new Redis(redis.url);
  const book = new RedisWatches(client, 'the test');
  const lock = `reads:watch-lock:${watchId}`;
  const patches = () => fake.patches.filter((p) => p.messageId === card.messageId);
  try {
    let holder: string | null = null;
    await until(async () => (holder = await client.get(lock)) !== null, 15_000, 'a replica to drive the watch');
    const driver = bots.find((b) => holder!.includes(`:${b.child.pid}:`))!;
    driver.child.kill('SIGKILL');
    await driver.exited;
    // Its lock runs out by itself within WATCH_LOCK_MS; the test lets that time pass at once, and the
    // card's interval too, leaving the survivors one look each (driveEveryMs) before the update is due:
    // were both to drive it, both would update it then.
    const left = await client.pttl(lock);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(WATCH_LOCK_MS);
    await client.pexpire(lock, 1);
    await book.reschedule(watchId, Date.now() + book.driveEveryMs + 1_000);
    await until(() => patches().length > 0, 60_000, 'the card to be updated');
    expect(await client.get(lock)).not.toContain(`:${driver.child.pid}:`);
  } finally {
    client.disconnect();
  }
  await new Promise((r) => setTimeout(r, 2_000));
  expect(patches()).toHaveLength(1); // one driver, one update
  expect(cardText(fake.cardOf(card.messageId), 'en')).toContain('Watching');
}, 90_000);

it('while Redis is down: not ready, events get 503, no crash; once it is back the redelivery is answered', async () => {
  const [bot] = await replicas(1);
  const before = command(fake, 1, '/reads bm_before');
  expect(await deliver(bot!.url, before.request)).toBe(200);
  await everyAnsweredOnce(fake, [before.messageId]);

  await redis.stop();
  await until(async () => (await readyz(bot!.url)).status === 503, 10_000, '/readyz to say not ready');
  expect((await readyz(bot!.url)).checks.redis).toBe(false);
  const during = command(fake, 2, '/reads bm_during');
  expect(await deliver(bot!.url, during.request)).toBe(503); // Feishu delivers it again later
  expect(bot!.child.exitCode).toBeNull();

  await redis.resume();
  await until(async () => (await readyz(bot!.url)).status === 200, 15_000, '/readyz to say ready again');
  expect(await deliver(bot!.url, during.request)).toBe(200);
  expect(await deliver(bot!.url, before.request)).toBe(200); // a late redelivery of an answered one: still recognised
  await everyAnsweredOnce(fake, [before.messageId, during.messageId]);
  expect(fake.readUserCalls.map((c) => c.batchId)).toEqual(['bm_before', 'bm_during']);
}, 60_000);
