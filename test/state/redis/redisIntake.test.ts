/** De-duplication and the journal shared by replicas, against a real redis-server. */
import type { Redis } from 'ioredis';
import { RedisIntake } from '../../../src/state/redis/redisIntake.js';
import { SEEN_TTL_MS } from '../../../src/state/sqlite/store.js';
import { connectReplica, RedisServer } from '../../support/redisServer.js';
import type { JournalEntry } from '../../../src/domain/types.js';

const entry = (messageId: string, acceptedAt = 1): JournalEntry => ({
  messageId,
  eventId: `ev_${messageId}`,
  chatId: 'oc_1',
  chatType: 'group',
  senderOpenId: 'ou_1',
  text: '/reads bm_a',
  acceptedAt,
});

let server: RedisServer;
let connections: Redis[];
let a: RedisIntake;
let b: RedisIntake;

beforeAll(async () => (server = await RedisServer.start()));
afterAll(() => server.close());
beforeEach(async () => {
  connections = [await connectReplica(server.url), await connectReplica(server.url)];
  await connections[0]!.flushall();
  a = new RedisIntake(connections[0]!, 'replica-a', SEEN_TTL_MS);
  b = new RedisIntake(connections[1]!, 'replica-b', SEEN_TTL_MS);
});
afterEach(async () => {
  await Promise.all([a.close(), b.close()]);
  for (const c of connections) c.disconnect();
});

it('accepts an event on one replica only: a key seen on any replica changes nothing', async () => {
  expect(
    await Promise.all([
      a.accept(['event:1', 'message:m1'], entry('m1')),
      b.accept(['event:1', 'message:m1'], entry('m1')),
    ]),
  ).toEqual(expect.arrayContaining([true, false]));
  expect(await b.accept(['event:2', 'message:m1'], entry('m1'))).toBe(false);
  expect(await a.accept(['event:3'])).toBe(true); // a button press: seen, nothing journaled
});

it('leaves a command with its owner; once let go, another replica claims it, in the order they came', async () => {
  await a.accept(['event:1'], entry('m1', 10));
  await a.accept(['event:2'], entry('m2', 5));
  expect(await b.claim()).toEqual([]); // a holds the leases
  await a.close(); // shutting down lets them go at once
  expect((await b.claim()).map((e) => e.messageId)).toEqual(['m2', 'm1']);
  expect(await b.claim()).toEqual([]); // claimed once
  await b.complete('m1');
  await b.release('m2');
  expect((await a.claim()).map((e) => e.messageId)).toEqual(['m2']);
});

it('keeps a waiting command’s wait for whichever replica claims it; an answered one stays forgotten', async () => {
  await a.accept(['event:1'], entry('m1', 10));
  await a.accept(['event:2'], entry('m2', 11));
  const waiting = { ...entry('m1', 10), waitingSince: 20, attempts: 3, card: { schema: '2.0' }, takenAt: 15 };
  await a.wait(waiting);
  await a.complete('m2');
  await a.wait({ ...entry('m2', 11), attempts: 1 });
  await a.close(); // the replica goes; its leases are let go
  expect(await b.claim()).toEqual([waiting]);
});

it('rejects as "unavailable" while Redis is down, and works again once it is back', async () => {
  await server.stop();
  await expect(a.accept(['event:down'], entry('m_down'))).rejects.toMatchObject({ code: 'unavailable' });
  await server.resume();
  await new Promise((resolve) => connections[0]!.once('ready', resolve));
  expect(await a.accept(['event:down'], entry('m_down'))).toBe(true);
});
