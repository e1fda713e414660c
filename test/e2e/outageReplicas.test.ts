/**
 * A Feishu outage with two replicas on Redis, as `npm start` runs them: the
 * commands one replica took wait in the shared journal; when it stops, the
 * other claims them under the lease rules, with their wait, and answers each
 * once when Feishu is back.
 */
import { FakeOpenApi } from '../../src/dev/demo/fakeOpenApi.js';
import { cardText } from '../support/cards.js';
import { command, deliver, everyAnsweredOnce } from '../support/delivery.js';
import { APP, KEY, TOKEN } from '../support/harness.js';
import { liveBotEnv, startBotProcess, type RunningBot } from '../support/process.js';
import { sample, scrape } from '../support/prometheus.js';
import { RedisServer } from '../support/redisServer.js';
import { until } from '../support/until.js';

let fake: FakeOpenApi;
let redis: RedisServer;
let bots: RunningBot[] = [];

beforeEach(async () => {
  fake = new FakeOpenApi({ ...APP, fallback: () => ({ kind: 'counts', read: 3, total: 4 }) });
  await fake.listen();
  redis = await RedisServer.start();
});
afterEach(async () => {
  for (const bot of bots) if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
  await Promise.all(bots.map((b) => b.exited));
  bots = [];
  await fake.close();
  await redis.close();
});

const waiting = async (bot: RunningBot) =>
  sample((await scrape(bot.url)).text, 'feishu_reads_bot_commands_waiting_for_feishu');

it('a replica that stops mid-outage leaves its waiting commands to another, which answers each once', async () => {
  bots = await Promise.all(
    [0, 1].map(() =>
      startBotProcess((port) =>
        liveBotEnv({ ...APP, token: TOKEN, encryptKey: KEY }, fake.baseUrl, {
          PORT: String(port),
          REDIS_URL: redis.url,
        }),
      ),
    ),
  );
  const [a, b] = bots as [RunningBot, RunningBot];
  fake.outage(true);
  const sent = Array.from({ length: 10 }, (_, i) => command(fake, i, `/reads bm_replica_${i}`));
  for (const c of sent) expect(await deliver(a.url, c.request)).toBe(200);
  await until(async () => (await waiting(a)) === 10, 20_000, 'replica a to hold all 10, waiting');

  a.child.kill('SIGTERM');
  expect(await a.exited).toBe(0);
  await until(async () => (await waiting(b)) === 10, 30_000, 'replica b to claim all 10, and wait');
  expect(fake.replies).toEqual([]);

  fake.outage(false);
  await everyAnsweredOnce(
    fake,
    sent.map((c) => c.messageId),
    40_000,
  );
  for (const c of sent)
    expect(cardText(fake.repliesTo(c.messageId)[0]!.card, 'en')).toContain('Feishu was unavailable from');
}, 90_000);
