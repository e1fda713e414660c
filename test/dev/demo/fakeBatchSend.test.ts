/**
 * The fake Open API's batch send and recall, over real HTTP with the SDK's
 * own requests: what it answers and refuses, the batch it plays from then
 * on, the recall's effect, the hooks a test scripts, and the limits.
 */
import { DEPARTMENT_SIZE, type FakeOpenApiOptions } from '../../../src/dev/demo/fakeOpenApi.js';
import { many, MINUTE, sdkOnFake, sentId, text } from './sdkOnFake.js';

let t: Awaited<ReturnType<typeof sdkOnFake>>;
async function start(options: Partial<FakeOpenApiOptions> = {}) {
  t = await sdkOnFake(options);
  return t;
}
afterEach(() => t.fake.close());

describe('batch send', () => {
  it('sends to the ids it knows, lists the others as invalid, and plays the batch: read counts rising over time', async () => {
    const { send, api } = await start();
    const body = text({
      department_ids: ['od-sales', 'od-unknown-1', '3dceba33a33226'],
      open_ids: ['ou_a', 'ou_b', 'ou_a', 'ou_unknown_c', 'on_not_an_open_id'],
      user_ids: ['7cdcc7c2', 'ca51-d83b'],
      union_ids: ['on_d'],
    });
    const answer = await send(body);

    expect(answer).toEqual({
      status: 200,
      body: {
        code: 0,
        msg: 'ok',
        data: {
          message_id: expect.stringMatching(/^bm-[0-9a-f]{32}$/),
          invalid_department_ids: ['od-unknown-1', '3dceba33a33226'],
          invalid_open_ids: ['ou_unknown_c', 'on_not_an_open_id'],
          invalid_user_ids: ['ca51-d83b'],
          invalid_union_ids: [],
        },
      },
    });
    const batchId = sentId(answer);
    const total = DEPARTMENT_SIZE + 2 + 1 + 1; // one department, ou_a (listed twice) and ou_b, one user id, one union id
    expect(t.fake.batchSends).toEqual([
      {
        at: t.time.now,
        body,
        status: 200,
        code: 0,
        sent: {
          batchId,
          at: t.time.now,
          msgType: 'text',
          content: { text: 'Hello all' },
          recipients: {
            departments: body.department_ids,
            openIds: body.open_ids,
            userIds: body.user_ids,
            unionIds: body.union_ids,
          },
          invalid: {
            departments: ['od-unknown-1', '3dceba33a33226'],
            openIds: ['ou_unknown_c', 'on_not_an_open_id'],
            userIds: ['ca51-d83b'],
            unionIds: [],
          },
          total,
        },
      },
    ]);

    await expect(api.readUser(batchId)).resolves.toEqual({ readCount: 0, totalCount: total });
    t.time.now += MINUTE;
    await expect(api.readUser(batchId)).resolves.toEqual({ readCount: Math.ceil(total / 10), totalCount: total });
    t.time.now += 10 * MINUTE;
    await expect(api.readUser(batchId)).resolves.toEqual({ readCount: total, totalCount: total });
    await expect(api.getProgress(batchId)).resolves.toEqual({
      validCount: total,
      deliveredCount: total,
      readCount: total,
      recalled: false,
      recallCount: 0,
    });
  });

  it('takes every message type of its page, the card of an interactive one in `card`', async () => {
    const { send } = await start();
    const to = { open_ids: ['ou_a'] };
    const card = { header: { title: { tag: 'plain_text', content: 'Hi' } }, elements: [] };
    for (const body of [
      { msg_type: 'post', content: { post: { zh_cn: { title: 'T', content: [] } } }, ...to },
      { msg_type: 'image', content: { image_key: 'img_v2_x' }, ...to },
      { msg_type: 'share_chat', content: { share_chat_id: 'oc_x' }, ...to },
      { msg_type: 'interactive', card, ...to },
    ])
      expect(await send(body)).toMatchObject({ status: 200, body: { code: 0 } });
    expect(t.fake.batchSends.map((c) => c.sent?.content)).toEqual([
      { post: { zh_cn: { title: 'T', content: [] } } },
      { image_key: 'img_v2_x' },
      { share_chat_id: 'oc_x' },
      card,
    ]);
  });

  it.each([
    ['the root department', text({ department_ids: ['od-a', '0'] })],
    ['a list over 200 ids', text({ open_ids: many(201, (i) => `ou_${i}`) })],
    ['no recipients', text({ open_ids: [] })],
    ['an unknown message type', { msg_type: 'audio', content: { file_key: 'f' }, open_ids: ['ou_a'] }],
    ['a text without its text', { msg_type: 'text', content: {}, open_ids: ['ou_a'] }],
    ['content as a string, not JSON', { msg_type: 'text', content: '{"text":"x"}', open_ids: ['ou_a'] }],
    ['a card message without `card`', { msg_type: 'interactive', content: { text: 'x' }, open_ids: ['ou_a'] }],
  ])('refuses %s with HTTP 200 and 10003, as its page says, sending nothing', async (_, body) => {
    const { send } = await start();
    expect(await send(body)).toMatchObject({
      status: 200,
      body: { code: 10003, msg: expect.stringMatching(/^Invalid parameter\. \S/) },
    });
    expect(t.fake.batchSends).toEqual([{ at: t.time.now, body, status: 200, code: 10003 }]);
  });

  it('takes 200 ids in each list', async () => {
    const { send } = await start();
    const answer = await send(text({ open_ids: many(200, (i) => `ou_${i}`), user_ids: many(200, (i) => `u${i}`) }));
    expect(answer).toMatchObject({ status: 200, body: { code: 0 } });
    expect(t.fake.batchSends[0]?.sent?.total).toBe(400);
  });

  it('refuses departments without their scope with 11204; people still go through', async () => {
    const { send } = await start({ scopes: { 'im:message:send_as_bot': true, 'im:message:send_multi_users': true } });
    const refused = await send(text({ department_ids: ['od-a'], open_ids: ['ou_a'] }));
    expect(refused).toMatchObject({ status: 200, body: { code: 11204 } });
    expect(await send(text({ open_ids: ['ou_a'] }))).toMatchObject({ body: { code: 0 } });
  });

  it('refuses people without their scope with 11203; departments still go through', async () => {
    const { send } = await start({ scopes: { 'im:message': true, 'im:message:send_multi_depts': true } });
    expect(await send(text({ user_ids: ['u1'] }))).toMatchObject({ status: 200, body: { code: 11203 } });
    expect(await send(text({ department_ids: ['od-a'] }))).toMatchObject({ body: { code: 0 } });
  });
});

describe('recall', () => {
  it('recalls a batch it sent: get_progress says so, read_user goes on answering, its count no longer rising', async () => {
    const { send, recall, api } = await start();
    const batchId = sentId(await send(text({ open_ids: many(20, (i) => `ou_${i}`) })));
    t.time.now += MINUTE;
    await expect(api.readUser(batchId)).resolves.toEqual({ readCount: 2, totalCount: 20 });

    expect(await recall(batchId)).toEqual({ status: 200, body: { code: 0, msg: 'ok', data: {} } });
    expect(t.fake.recalls).toEqual([{ batchId, at: t.time.now, status: 200, code: 0 }]);
    t.time.now += 5 * MINUTE;
    await expect(api.readUser(batchId)).resolves.toEqual({ readCount: 2, totalCount: 20 });
    await expect(api.getProgress(batchId)).resolves.toEqual({
      validCount: 20,
      deliveredCount: 20,
      readCount: 2,
      recalled: true,
      recallCount: 20,
    });
  });

  it('answers 230026 for a batch it plays but did not send (another app’s), 230030 for one it does not know', async () => {
    const { recall } = await start({
      batches: {
        bm_elsewhere: { kind: 'counts', read: 1, total: 2 },
        bm_gone: { kind: 'error', httpStatus: 400, code: 230030, msg: 'not found' },
      },
    });
    expect(await recall('bm_elsewhere')).toMatchObject({ status: 400, body: { code: 230026 } });
    expect(await recall('bm_gone')).toMatchObject({ status: 400, body: { code: 230030 } });
    expect(await recall('bm-00000000000000000000000000000000')).toMatchObject({ status: 400, body: { code: 230030 } });
    expect(t.fake.recalls.map((r) => [r.status, r.code])).toEqual([
      [400, 230026],
      [400, 230030],
      [400, 230030],
    ]);
  });

  it('answers 230009 for a batch sent longer ago than the recall window: a day by default', async () => {
    const { send, recall } = await start();
    const batchId = sentId(await send(text({ open_ids: ['ou_a'] })));
    t.time.now += 24 * 60 * MINUTE + 1;
    expect(await recall(batchId)).toMatchObject({ status: 400, body: { code: 230009 } });
  });

  it('takes the tenant’s recall window as a setting', async () => {
    const { send, recall } = await start({ recallWindowMs: MINUTE });
    const batchId = sentId(await send(text({ open_ids: ['ou_a'] })));
    t.time.now += MINUTE;
    expect(await recall(batchId)).toMatchObject({ status: 200, body: { code: 0 } });
    t.time.now += 1;
    expect(await recall(batchId)).toMatchObject({ status: 400, body: { code: 230009 } });
  });
});
