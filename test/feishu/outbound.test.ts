/** The one pipeline: people's queries go ahead of watches; card updates of one message never go out of order. */
import { Outbound } from '../../src/feishu/outbound.js';
import type { FeishuApi } from '../../src/feishu/openApi.js';
import { createLogger } from '../../src/log.js';
import { FakeClock, settle } from '../support/fakeClock.js';

function recordingApi() {
  const calls: string[] = [];
  const api: FeishuApi = {
    readUser: async (id) => {
      calls.push(`read:${id}`);
      return { readCount: 1, totalCount: 2 };
    },
    replyCard: async (id) => {
      calls.push(`reply:${id}`);
      return `om_${id}`;
    },
    patchCard: async (id, card) => {
      calls.push(`patch:${id}:${JSON.stringify(card)}`);
    },
    botOpenId: async () => 'ou_bot',
    chatAdmins: async () => ({ isGroup: true, managerOpenIds: [] }),
    userDepartments: async () => [],
    invalidateToken: () => undefined,
  };
  return { api, calls };
}

it('lets an interactive query go ahead of a backlog of watch queries', async () => {
  const clock = new FakeClock(0);
  const { api, calls } = recordingApi();
  const out = new Outbound({ api, clock, logger: createLogger('silent') });
  const background = Array.from({ length: 120 }, (_, i) => out.readUser(`bg${i}`, undefined, 'background'));
  await settle();
  const person = out.readUser('person');
  await clock.advance(1000);
  expect(calls.indexOf('read:person')).toBeGreaterThan(-1);
  expect(calls.indexOf('read:person')).toBeLessThan(calls.indexOf('read:bg60'));
  await clock.advance(5000);
  await Promise.all([...background, person]);
  expect(calls.filter((c) => c.startsWith('read:'))).toHaveLength(121);
});

it('sends updates of one message in order, each built when its turn comes', async () => {
  const clock = new FakeClock(0);
  const { api, calls } = recordingApi();
  const out = new Outbound({ api, clock, logger: createLogger('silent') });
  let state = 'watching';
  const first = out.patch('om_card', () => ({ state }));
  state = 'stopped'; // the stop happened while the first update waited
  const second = out.patch('om_card', () => ({ state }));
  await clock.advance(2000);
  await Promise.all([first, second]);
  const patches = calls.filter((c) => c.startsWith('patch:'));
  expect(patches[patches.length - 1]).toBe('patch:om_card:{"state":"stopped"}');
  expect(patches.every((p) => p.endsWith('"stopped"}'))).toBe(true);
});
