/** The batch send and its recall through the SDK wrapper, against a scripted Open API over real HTTP. */
import { createOpenApi } from '../../../src/feishu/api/openApi.js';
import { createLogger } from '../../../src/app/log.js';
import { noRecipients } from '../../../src/domain/send.js';
import { botErrorOf } from '../../support/botErrors.js';
import { refusal, ScriptedOpenApi } from './scriptedOpenApi.js';

const BATCH_SEND = '/open-apis/message/v4/batch_send/';
const recallPath = (id: string) => `/open-apis/im/v1/batch_messages/${id}`;
const sent = (data: object) => ({ body: { code: 0, msg: 'ok', data } });

let feishu: ScriptedOpenApi;
let api: ReturnType<typeof createOpenApi>;

beforeEach(async () => {
  feishu = new ScriptedOpenApi();
  const baseUrl = await feishu.listen();
  api = createOpenApi({
    appId: 'cli_batch',
    appSecret: 's3cret',
    baseUrl,
    timeoutMs: 5000,
    logger: createLogger('silent'),
  });
});
afterEach(() => feishu.close());

describe('batchSend', () => {
  it('posts the text and only the lists that hold ids, with the tenant token', async () => {
    feishu.script('POST', BATCH_SEND, sent({ message_id: 'bm-d4be107c616aed9c1da8ed8068570a9f' }));
    const recipients = { ...noRecipients(), departments: ['od-sales'], openIds: ['ou_a', 'ou_b'] };
    await api.batchSend({ text: 'Offsite moved to Friday', recipients });
    expect(feishu.to(BATCH_SEND)).toEqual([
      {
        method: 'POST',
        path: BATCH_SEND,
        token: 't-1',
        body: {
          msg_type: 'text',
          content: { text: 'Offsite moved to Friday' },
          department_ids: ['od-sales'],
          open_ids: ['ou_a', 'ou_b'],
        },
      },
    ]);
  });

  it('answers the batch id as Feishu wrote it and the ids Feishu refused (it sent to the rest)', async () => {
    feishu.script(
      'POST',
      BATCH_SEND,
      sent({
        message_id: 'bm-d4be107c616aed9c1da8ed8068570a9f',
        invalid_department_ids: ['od-gone'],
        invalid_open_ids: ['ou_left'],
        invalid_user_ids: ['7cdcc7c22'],
        invalid_union_ids: ['on_old'],
      }),
    );
    const recipients = {
      departments: ['od-gone', 'od-sales'],
      openIds: ['ou_left', 'ou_a'],
      userIds: ['7cdcc7c22'],
      unionIds: ['on_old', 'on_new'],
    };
    await expect(api.batchSend({ text: 'hi', recipients })).resolves.toEqual({
      batchId: 'bm-d4be107c616aed9c1da8ed8068570a9f',
      refused: { departments: ['od-gone'], openIds: ['ou_left'], userIds: ['7cdcc7c22'], unionIds: ['on_old'] },
    });
    expect(feishu.to(BATCH_SEND)[0]!.body).toMatchObject({ user_ids: ['7cdcc7c22'], union_ids: ['on_old', 'on_new'] });
  });

  it('refuses nobody when Feishu lists nobody, whether it leaves the lists out or sends them empty', async () => {
    feishu.script('POST', BATCH_SEND, sent({ message_id: 'bm-1' }), sent({ message_id: 'bm-2', invalid_open_ids: [] }));
    const message = { text: 'hi', recipients: { ...noRecipients(), openIds: ['ou_a'] } };
    await expect(api.batchSend(message)).resolves.toEqual({ batchId: 'bm-1', refused: noRecipients() });
    await expect(api.batchSend(message)).resolves.toEqual({ batchId: 'bm-2', refused: noRecipients() });
  });

  it('turns a refusal into a BotError with Feishu’s code, whether answered with HTTP 200 or 400', async () => {
    feishu.script('POST', BATCH_SEND, refusal(11247), refusal(99991672, 400));
    const message = { text: 'hi', recipients: { ...noRecipients(), userIds: ['7cdcc7c2'] } };
    expect(await botErrorOf(api.batchSend(message))).toMatchObject({
      code: 'feishu_api',
      feishuCode: 11247,
      logId: 'log-11247',
    });
    expect(await botErrorOf(api.batchSend(message))).toMatchObject({
      code: 'feishu_api',
      feishuCode: 99991672,
      httpStatus: 400,
    });
  });

  it('reports a success without a batch id as an answer it could not read', async () => {
    feishu.script('POST', BATCH_SEND, sent({}));
    const e = await botErrorOf(api.batchSend({ text: 'hi', recipients: { ...noRecipients(), openIds: ['ou_a'] } }));
    expect(e.code).toBe('bad_response');
  });
});

describe('recallBatch', () => {
  it('deletes the batch message by its id, as typed', async () => {
    for (const id of ['bm-dc13264520392913993dd051dba21dcf', 'bm_dc13264520392913993dd051dba21dcf']) {
      feishu.script('DELETE', recallPath(id), { body: { code: 0, msg: 'ok', data: {} } });
      await expect(api.recallBatch(id)).resolves.toBeUndefined();
      expect(feishu.to(recallPath(id)).map((r) => r.method)).toEqual(['DELETE']);
    }
  });

  it('turns a refusal into a BotError with Feishu’s code', async () => {
    feishu.script('DELETE', recallPath('bm-old'), refusal(230009, 400));
    expect(await botErrorOf(api.recallBatch('bm-old'))).toMatchObject({
      code: 'feishu_api',
      feishuCode: 230009,
      httpStatus: 400,
    });
  });
});
