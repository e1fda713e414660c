/**
 * Two replicas on one Redis, as `npm start` runs them, and one preview whose
 * Confirm is pressed on both at the same moment, several times, and once
 * redelivered: Feishu gets one batch send. Recall pressed on both: one DELETE.
 */
import { FakeOpenApi } from '../../src/dev/demo/fakeOpenApi.js';
import { cardActionEvent, feishuRequest, messageEvent, newMessageId } from '../../src/dev/demo/feishuEvents.js';
import { buttonValue } from '../support/cards.js';
import { deliver } from '../support/delivery.js';
import { APP, KEY, TOKEN } from '../support/harness.js';
import { liveBotEnv, startBotProcess, type RunningBot } from '../support/process.js';
import { RedisServer } from '../support/redisServer.js';
import { until } from '../support/until.js';

const WRITER = 'ou_writer';
const CHAT = 'oc_announcements';

let fake: FakeOpenApi;
let redis: RedisServer;
let bots: RunningBot[] = [];

beforeAll(async () => {
  fake = new FakeOpenApi({ ...APP, fallback: () => ({ kind: 'counts', read: 3, total: 4 }) });
  await fake.listen();
  redis = await RedisServer.start();
  bots = await Promise.all(
    [0, 1].map(() =>
      startBotProcess((port) =>
        liveBotEnv({ ...APP, token: TOKEN, encryptKey: KEY }, fake.baseUrl, {
          PORT: String(port),
          REDIS_URL: redis.url,
          SENDERS: WRITER,
        }),
      ),
    ),
  );
}, 60_000);
afterAll(async () => {
  for (const bot of bots) bot.child.kill('SIGKILL');
  await Promise.all(bots.map((b) => b.exited));
  await fake.close();
  await redis.close();
});

/** Posts a signed card callback to a replica; `eventId` repeats one (a redelivery). */
async function press(bot: RunningBot, messageId: string, value: unknown, eventId?: string) {
  const event = cardActionEvent({
    token: TOKEN,
    operatorOpenId: WRITER,
    messageId,
    chatId: CHAT,
    value: value,
    ...(eventId ? { eventId } : {}),
  });
  const req = feishuRequest(event, KEY);
  const res = await fetch(`${bot.url}/webhook/card`, { method: 'POST', headers: req.headers, body: req.body });
  return { status: res.status, answer: (await res.json()) as { card?: { data: unknown } } };
}

const cardNow = (messageId: string) => fake.cardOf(messageId);
const sent = () => fake.batchSends.filter((s) => s.sent);

it('Confirm pressed on both replicas at once sends one batch message; Recall on both, one DELETE', async () => {
  const [a, b] = bots as [RunningBot, RunningBot];
  const messageId = newMessageId();
  fake.registerMessage(messageId, CHAT);
  const typed = messageEvent({
    token: TOKEN,
    text: '/send od-sales ou_ann\nFrom two replicas',
    messageId,
    chatId: CHAT,
    senderOpenId: WRITER,
  });
  expect(await deliver(a.url, feishuRequest(typed, KEY))).toBe(200);
  await until(() => fake.repliesTo(messageId).length === 1, 10_000, 'the preview');
  const preview = fake.repliesTo(messageId)[0]!;
  const confirm = buttonValue(preview.card, 'Confirm');
  expect(confirm).toBeDefined();

  const redelivered = 'ev_confirm_once';
  const presses = [a, b, a, b].map((bot) => press(bot, preview.messageId, confirm));
  presses.push(press(a, preview.messageId, confirm, redelivered), press(b, preview.messageId, confirm, redelivered));
  expect((await Promise.all(presses)).map((p) => p.status)).toEqual([200, 200, 200, 200, 200, 200]);
  await until(() => buttonValue(cardNow(preview.messageId), 'Recall') !== undefined, 15_000, 'the tracking card');
  // Both replicas have settled every press by now; give a stray second send time to show.
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(fake.batchSends).toHaveLength(1);
  expect(sent()).toHaveLength(1);

  const recall = buttonValue(cardNow(preview.messageId), 'Recall');
  const asked = await press(a, preview.messageId, recall);
  const yes = buttonValue(asked.answer.card?.data, 'Recall');
  expect(yes).toMatchObject({ a: 'recall_confirm' });
  await Promise.all([a, b, a, b].map((bot) => press(bot, preview.messageId, yes)));
  await until(() => fake.recalls.length > 0, 10_000, 'the recall');
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(fake.recalls).toHaveLength(1);
  expect(fake.recalls[0]).toMatchObject({ status: 200 });
}, 60_000);
