/** get_progress and message create through the SDK, against the fake Open API over real HTTP. */
import { FakeOpenApi } from '../../../src/dev/demo/fakeOpenApi.js';
import { createOpenApi } from '../../../src/feishu/api/openApi.js';
import { createLogger } from '../../../src/app/log.js';

const APP = { appId: 'cli_menu', appSecret: 's3cret', botOpenId: 'ou_menu_bot' };
let fake: FakeOpenApi;
let api: ReturnType<typeof createOpenApi>;

beforeAll(async () => {
  fake = new FakeOpenApi({
    ...APP,
    batches: {
      bm_sent: { kind: 'counts', read: 12, total: 30, hidden: 2 },
      bm_recalled: { kind: 'counts', read: 3, total: 5, recalled: 5 },
      bm_no_bot: { kind: 'error', httpStatus: 400, code: 230006, msg: 'Bot ability is not activated.' },
    },
  });
  const baseUrl = await fake.listen();
  api = createOpenApi({ ...APP, baseUrl, timeoutMs: 5000, logger: createLogger('silent') });
});
afterAll(() => fake.close());

it('reads the funnel and the recall state', async () => {
  expect(await api.getProgress('bm_sent')).toEqual({
    validCount: 32,
    deliveredCount: 30,
    readCount: 12,
    recalled: false,
    recallCount: 0,
  });
  expect(await api.getProgress('bm_recalled')).toMatchObject({ recalled: true, recallCount: 5 });
  expect(fake.progressCalls.map((c) => [c.batchId, c.status])).toEqual([
    ['bm_sent', 200],
    ['bm_recalled', 200],
  ]);
  expect(fake.readUserCalls).toEqual([]);
});

it('turns a refusal into a BotError with Feishu’s code', async () => {
  await expect(api.getProgress('bm_no_bot')).rejects.toMatchObject({ code: 'feishu_api', feishuCode: 230006 });
  await expect(api.getProgress('bm_unknown')).rejects.toMatchObject({ feishuCode: 230030 });
});

it('sends a card to an open_id or a chat_id, once per uuid', async () => {
  const card = { schema: '2.0', body: { elements: [] } };
  const first = await api.sendCard({ openId: 'ou_a' }, card, 'send-1');
  expect(await api.sendCard({ openId: 'ou_a' }, card, 'send-1')).toBe(first);
  await api.sendCard({ chatId: 'oc_b' }, card, 'send-2');
  expect(fake.sent.map((m) => [m.receiveIdType, m.receiveId, m.uuid])).toEqual([
    ['open_id', 'ou_a', 'send-1'],
    ['chat_id', 'oc_b', 'send-2'],
  ]);
  expect(fake.cardOf(first)).toEqual(card);
});
