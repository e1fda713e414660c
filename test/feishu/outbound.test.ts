/** The one pipeline: people's queries go ahead of watches; card updates of one message never go out of order. */
import { Outbound } from '../../src/feishu/outbound.js';
import type { FeishuApi } from '../../src/feishu/api/openApi.js';
import { createLogger } from '../../src/app/log.js';
import { watchLane } from '../../src/scheduling/lanes.js';
import { FakeClock, settle } from '../support/fakeClock.js';
import { noRecipients } from '../../src/domain/send.js';

function recordingApi() {
  const calls: string[] = [];
  const api: FeishuApi = {
    readUser: async (id) => {
      calls.push(`read:${id}`);
      return { readCount: 1, totalCount: 2 };
    },
    getProgress: async (id) => {
      calls.push(`progress:${id}`);
      return { validCount: 3, deliveredCount: 2, readCount: 1, recalled: false, recallCount: 0 };
    },
    sendCard: async (to) => {
      calls.push(`send:${'openId' in to ? to.openId : to.chatId}`);
      return 'om_sent';
    },
    batchSend: async () => {
      calls.push('batch_send');
      return { batchId: 'bm-1', refused: noRecipients() };
    },
    recallBatch: async (id) => {
      calls.push(`recall:${id}`);
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
    grantedScopes: async () => [],
    invalidateToken: () => undefined,
  };
  return { api, calls };
}

it('lets an interactive query go ahead of a backlog of watch queries', async () => {
  const clock = new FakeClock(0);
  const { api, calls } = recordingApi();
  const out = new Outbound({ api, clock, logger: createLogger('silent') });
  const background = Array.from({ length: 120 }, (_, i) =>
    out.readUser(`bg${i}`, undefined, watchLane({ chatId: `oc_${i}`, startedBy: 'ou_w' })),
  );
  await settle();
  const person = out.readUser('person');
  await clock.advance(1000);
  // Only the watch query that had started goes before it; the rest start 20 ms apart after it.
  expect(calls.filter((c) => c.startsWith('read:')).slice(0, 3)).toEqual(['read:bg0', 'read:person', 'read:bg1']);
  await clock.advance(5000);
  await Promise.all([...background, person]);
  expect(calls.filter((c) => c.startsWith('read:'))).toHaveLength(121);
});

it('sends updates of one message in order, one at a time, each built when its turn comes', async () => {
  const clock = new FakeClock(0);
  const { api } = recordingApi();
  // Feishu takes each update until the test lets it finish.
  const sent: Array<{ card: unknown; finish: () => void }> = [];
  api.patchCard = (_id, card) => new Promise<void>((finish) => sent.push({ card, finish }));
  const out = new Outbound({ api, clock, logger: createLogger('silent') });
  let state = 'watching';
  const first = out.patch('om_card', () => ({ update: 1, state }));
  const second = out.patch('om_card', () => ({ update: 2, state }));
  await settle();
  // The first is out; the second waits for it, and is not built yet.
  expect(sent.map((s) => s.card)).toEqual([{ update: 1, state: 'watching' }]);
  state = 'stopped'; // the watch stopped while the first update was on its way
  sent[0]!.finish();
  await first;
  await clock.advance(1000); // room in the per-message limit, were the second held by it
  expect(sent.map((s) => s.card)).toEqual([
    { update: 1, state: 'watching' },
    { update: 2, state: 'stopped' },
  ]);
  sent[1]!.finish();
  await second;
});
