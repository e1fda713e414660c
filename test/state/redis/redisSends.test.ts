/** Sends in Redis: how long each key is kept, and lookups once a send has expired, against a real redis-server. */
import type { Redis } from 'ioredis';
import { noRecipients, type Send } from '../../../src/domain/send.js';
import { RedisSends } from '../../../src/state/redis/redisSends.js';
import { redisForFile } from '../../support/redisServer.js';
import { until } from '../../support/until.js';

const server = redisForFile();
let redis: Redis;
let book: RedisSends;
beforeEach(async () => {
  redis ??= await server.connect();
  await redis.flushall();
  book = new RedisSends(redis);
});

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = 1_800_000_000_000;
const send = (id: string, o: Partial<Send> = {}): Send => ({
  id,
  state: 'draft',
  senderOpenId: 'ou_writer',
  chatId: 'oc_1',
  text: `hello from ${id}`,
  recipients: { ...noRecipients(), userIds: ['u1'] },
  unusable: [],
  createdAt: T0,
  ...o,
});

it('keeps a draft a day, and a send 30 days from when it leaves its draft, with what finds it', async () => {
  await book.create(send('s1'));
  const draftTtl = await redis.pttl('reads:send:s1');
  expect(draftTtl).toBeGreaterThan(DAY - MINUTE);
  expect(draftTtl).toBeLessThanOrEqual(DAY);
  await book.advance('s1', ['draft'], { state: 'sending' });
  await book.advance('s1', ['sending'], { state: 'sent', batchId: 'bm-1' });
  const sendTtl = await redis.pttl('reads:send:s1');
  expect(sendTtl).toBeGreaterThan(30 * DAY - MINUTE);
  expect(await redis.pttl('reads:sends:by-batch:bm-1')).toBeGreaterThan(sendTtl - MINUTE);
  for (const index of ['reads:sends:by-sender:ou_writer', 'reads:sends:in:sent'])
    expect(await redis.pttl(index)).toBeGreaterThan(30 * DAY);
});

it('finds nothing of a send once it has expired, and lists the ones still kept', async () => {
  for (let i = 0; i < 5; i++) await book.create(send(`s${i}`, { createdAt: T0 + i, state: 'sending' }));
  await book.advance('s4', ['sending'], { state: 'sent', batchId: 'bm-4' });
  await book.advance('s3', ['sending'], { state: 'sent', batchId: 'bm-3' });
  for (const id of ['s4', 's3', 's1']) await redis.pexpire(`reads:send:${id}`, 1);
  await until(async () => (await book.get('s1')) === undefined, 5_000, 's1 to expire');
  await until(async () => (await redis.exists('reads:send:s4', 'reads:send:s3')) === 0, 5_000, 's3, s4 to expire');
  expect((await book.bySender('ou_writer', 2)).map((s) => s.id)).toEqual(['s2', 's0']);
  expect((await book.inStates(['sending', 'sent'])).map((s) => s.id)).toEqual(['s0', 's2']);
  expect(await book.byBatchId('bm-4')).toBeUndefined();
  expect(await book.advance('s1', ['sending'], { state: 'sent' })).toBeUndefined();
});

it('drops from its sets the sends older than any still kept', async () => {
  await book.create(send('old'));
  await book.create(send('new', { createdAt: T0 + 32 * DAY }));
  expect(await redis.zrange('reads:sends:by-sender:ou_writer', 0, -1)).toEqual(['new']);
  expect(await redis.zrange('reads:sends:in:draft', 0, -1)).toEqual(['new']);
});
