/** get_progress stops with read_user when the bot shuts down; sends wait their turn per person. */
import { Outbound } from '../../src/feishu/outbound.js';
import type { FeishuApi } from '../../src/feishu/api/openApi.js';
import { createLogger } from '../../src/app/log.js';
import { FakeClock } from '../support/fakeClock.js';

it('refuses get_progress calls asked for after a stop, with the stop’s reason', async () => {
  const api = { getProgress: () => Promise.reject(new Error('not called')) } as unknown as FeishuApi;
  const outbound = new Outbound({ api, clock: new FakeClock(0), logger: createLogger('silent') });
  outbound.stopReads(new Error('shutting down'));
  await expect(outbound.getProgress('bm_a')).rejects.toThrow('shutting down');
});

it('sends to a chat id through that chat’s budget', async () => {
  const sent: unknown[] = [];
  const api = {
    sendCard: async (to: unknown) => {
      sent.push(to);
      return 'om_1';
    },
  } as unknown as FeishuApi;
  const outbound = new Outbound({ api, clock: new FakeClock(0), logger: createLogger('silent') });
  expect(await outbound.send({ chatId: 'oc_1' }, {}, 'u')).toBe('om_1');
  expect(sent).toEqual([{ chatId: 'oc_1' }]);
});
