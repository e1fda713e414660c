/**
 * A fake Open API on a clock the test moves, and the SDK pointed at it as the
 * bot points it: batch send through `client.request` (the SDK has no typed
 * method for it), recall through `client.im.batchMessage.delete`, read_user
 * and get_progress through the bot's own wrapper.
 */
import * as lark from '@larksuiteoapi/node-sdk';
import { isAxiosError } from 'axios';
import { FakeOpenApi, type FakeOpenApiOptions } from '../../../src/dev/demo/fakeOpenApi.js';
import { createHttpInstance, createOpenApi, sdkLogger } from '../../../src/feishu/api/openApi.js';
import { TokenCache } from '../../../src/feishu/api/tokenCache.js';
import { createLogger } from '../../../src/app/log.js';

export const APP = { appId: 'cli_fake', appSecret: 'fake-secret', botOpenId: 'ou_fake_bot' };
export const MINUTE = 60_000;

/** An answer as the SDK got it. */
export interface Answer {
  status: number;
  /** Feishu JSON, or the text of a gateway's error. */
  body: { code?: number; data?: Record<string, unknown> } | string;
}

/** What the SDK got: a body with HTTP 200 is returned, any other status thrown as an AxiosError. */
export async function answerOf(call: Promise<unknown>): Promise<Answer> {
  try {
    return { status: 200, body: (await call) as Answer['body'] };
  } catch (e) {
    if (!isAxiosError(e) || !e.response) throw e;
    return { status: e.response.status, body: e.response.data as Answer['body'] };
  }
}

/** The id of the batch an answer says was sent. */
export const sentId = (a: Answer): string => (typeof a.body === 'string' ? '' : String(a.body.data?.message_id));

/** A text batch message to the lists in `to`. */
export const text = <To extends object>(to: To) => ({ msg_type: 'text', content: { text: 'Hello all' }, ...to });

export const many = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

export async function sdkOnFake(options: Partial<FakeOpenApiOptions> = {}, timeoutMs = 5000) {
  const time = { now: Date.now() };
  const fake = new FakeOpenApi({ ...APP, now: () => time.now, ...options });
  const baseUrl = await fake.listen();
  const logger = createLogger('silent');
  const client = new lark.Client({
    ...APP,
    domain: baseUrl,
    httpInstance: createHttpInstance(timeoutMs),
    logger: sdkLogger(logger),
    loggerLevel: lark.LoggerLevel.trace,
    cache: new TokenCache(),
  });
  return {
    fake,
    /** The fake's clock: move `time.now` to move it. */
    time,
    send: (data: object) =>
      answerOf(client.request({ method: 'POST', url: '/open-apis/message/v4/batch_send/', data })),
    recall: (id: string) => answerOf(client.im.batchMessage.delete({ path: { batch_message_id: id } })),
    api: createOpenApi({ ...APP, baseUrl, timeoutMs, logger }),
  };
}
