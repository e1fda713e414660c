/**
 * What a test scripts on the fake's batch send and recall: refusals, a
 * failing gateway, a send slower than its caller, an outage; and their rate
 * limits, each its own, on a clock held still so a burst lands in one second.
 */
import type { FakeOpenApiOptions } from '../../../src/dev/demo/fakeOpenApi.js';
import { until } from '../../support/until.js';
import { many, sdkOnFake, sentId, text } from './sdkOnFake.js';

let t: Awaited<ReturnType<typeof sdkOnFake>>;
async function start(options: Partial<FakeOpenApiOptions> = {}, timeoutMs?: number) {
  t = await sdkOnFake(options, timeoutMs);
  return t;
}
afterEach(() => t.fake.close());

const toPeople = text({ open_ids: ['ou_a', 'ou_b'] });

describe('scriptBatchSends', () => {
  it('makes the next sends fail as scripted, one each: a refusal, then a failing gateway; then sends go through', async () => {
    const { fake, send } = await start();
    fake.scriptBatchSends(
      { kind: 'error', httpStatus: 200, code: 11247, msg: 'Internal send message trigger rate limit.' },
      { kind: 'http_error', httpStatus: 503 },
    );
    expect(await send(toPeople)).toMatchObject({ status: 200, body: { code: 11247 } });
    expect(await send(toPeople)).toEqual({ status: 503, body: 'upstream error' });
    expect(await send(toPeople)).toMatchObject({ status: 200, body: { code: 0 } });
    expect(fake.batchSends.map(({ status, code, sent }) => ({ status, code, sent: sent !== undefined }))).toEqual([
      { status: 200, code: 11247, sent: false },
      { status: 503, code: undefined, sent: false },
      { status: 200, code: 0, sent: true },
    ]);
  });

  it('can delay a send past its caller’s timeout: the caller gives up, and the batch is sent all the same', async () => {
    const { fake, send, api } = await start({}, 300);
    fake.scriptBatchSends({ kind: 'delay', delayMs: 1000 });
    await expect(send(toPeople)).rejects.toMatchObject({ code: 'ECONNABORTED' });
    await until(() => fake.batchSends[0]?.sent !== undefined, 5000, 'the delayed send');

    const call = fake.batchSends[0]!;
    expect(call.status).toBe(0); // nobody was waiting for the answer
    await expect(api.readUser(call.sent!.batchId)).resolves.toEqual({ readCount: 0, totalCount: 2 });
    expect(await send(toPeople)).toMatchObject({ status: 200, body: { code: 0 } });
  });
});

describe('outage', () => {
  it('covers batch send and recall: both answer the outage’s status until it ends', async () => {
    const { fake, send, recall } = await start();
    const batchId = sentId(await send(toPeople));
    fake.outage(true);
    expect(await send(toPeople)).toMatchObject({ status: 503 });
    expect(await recall(batchId)).toMatchObject({ status: 503 });
    expect(fake.outageRefusals).toBe(2);
    expect([fake.batchSends.length, fake.recalls.length]).toEqual([1, 0]);

    fake.outage(false);
    expect(await recall(batchId)).toMatchObject({ status: 200, body: { code: 0 } });
  });
});

describe('rate limits of their own: 50 a second per app each', () => {
  const ok = { status: 200, body: expect.objectContaining({ code: 0 }) };
  const tooMany = { status: 429, body: expect.objectContaining({ code: 99991400 }) };

  it('batch send: 50 in a second pass; the 51st is answered 429 / 99991400 and recorded; recalls are not held up', async () => {
    const { fake, time, send, recall } = await start();
    const batchId = sentId(await send(toPeople)); // fetches the token
    time.now += 1000;

    expect(await Promise.all(many(50, () => send(toPeople)))).toEqual(many(50, () => ok));
    expect(fake.violations).toEqual([]);
    expect(await send(toPeople)).toEqual(tooMany);
    expect(fake.violations).toEqual([{ api: 'batch_send', at: time.now }]);
    expect(await recall(batchId)).toEqual(ok);

    time.now += 1000;
    expect(await send(toPeople)).toEqual(ok);
    expect(fake.violations).toHaveLength(1);
  });

  it('recall: 50 in a second pass; the 51st is answered 429 / 99991400 and recorded; sends are not held up', async () => {
    const { fake, time, send, recall } = await start();
    const batchId = sentId(await send(toPeople));
    time.now += 1000;

    expect(await Promise.all(many(50, () => recall(batchId)))).toEqual(many(50, () => ok));
    expect(await recall(batchId)).toEqual(tooMany);
    expect(fake.violations).toEqual([{ api: 'recall', at: time.now }]);
    expect(await send(toPeople)).toEqual(ok);
  });
});
