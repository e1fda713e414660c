/**
 * Ids exactly as Feishu gives them (issue 27), end to end over real HTTP: the
 * batch-send API answers `bm-d4be…` (批量发送消息.md, its response example) and
 * the read_user page writes `bm_dc13…`. Each is answered with its own counts,
 * and reaches Feishu exactly as typed.
 */
import { QUERY_FORM } from '../../src/domain/rules.js';
import { buttonValue, cardText } from '../support/cards.js';
import { APP, startHarness, type Harness } from '../support/harness.js';

const SENT = 'bm-d4be107c616aed9c1da8ed8068570a9f';
const READ = 'bm_dc13264520392913993dd051dba21dcf';
// The other spelling of SENT: a different id to Feishu, so a different message here.
const SENT_UNDERSCORED = SENT.replace('bm-', 'bm_');

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    fake: {
      batches: {
        [SENT]: { kind: 'counts', read: 45, total: 80 },
        [READ]: { kind: 'counts', read: 10, total: 100 },
      },
    },
  });
});
afterAll(() => h.close());

/** The read_user calls the fake received while `act` ran, by id. */
async function readUserCallsOf(act: () => Promise<unknown>): Promise<string[]> {
  const before = h.fake.readUserCalls.length;
  await act();
  await h.bot.idle();
  return h.fake.readUserCalls.slice(before).map((c) => c.batchId);
}

it.each([
  ['after /reads', `/reads ${SENT}`],
  ['bare, alone', SENT],
  ['in a sentence', `帮我查一下${SENT}的阅读数`],
])('a bm- id %s, one-to-one, is answered with its counts and sent to Feishu as typed', async (_, text) => {
  let messageId = '';
  const calls = await readUserCallsOf(async () => ({ messageId } = await h.send(text)));
  const en = cardText((await h.onlyReply(messageId)).card, 'en');
  expect(en).toContain('**45**');
  expect(en).toContain('**80**');
  expect(en).toContain('56.3%');
  expect(en).not.toContain('Invalid batch message id');
  expect(calls).toEqual([SENT]);
});

it('a bm- id with an @mention in a group is answered; without one it is not', async () => {
  const group = { chatType: 'group' as const, chatId: 'oc_team' };
  const ignored = await h.send(`/reads ${SENT}`, group);
  const mentioned = await h.send(`@_user_1 ${SENT}`, {
    ...group,
    mentions: [{ openId: APP.botOpenId, name: 'Reads Bot' }],
  });
  expect(cardText((await h.onlyReply(mentioned.messageId)).card, 'en')).toContain('**45**');
  expect(h.fake.repliesTo(ignored.messageId)).toHaveLength(0);
});

it('/reads with a bm- id and an @mention in a group reaches Feishu as typed, and shows that id’s counts', async () => {
  let messageId = '';
  const calls = await readUserCallsOf(
    async () =>
      ({ messageId } = await h.send(`@_user_1 /reads ${SENT}`, {
        chatType: 'group',
        chatId: 'oc_team_reads',
        mentions: [{ openId: APP.botOpenId, name: 'Reads Bot' }],
      })),
  );
  expect(calls).toEqual([SENT]);
  const en = cardText((await h.onlyReply(messageId)).card, 'en');
  expect(en).toContain(`Read 45/80 (56.3%) · ${SENT}`);
  expect(en).toContain('**45**');
  expect(en).toContain('**80**');
  expect(en).toContain('**35**'); // unread
  expect(en).not.toContain('Invalid batch message id');
});

it('the read_user page’s bm_ id is answered too, and both forms in one command are two rows', async () => {
  const { messageId } = await h.send(`/reads ${SENT}, ${READ}`);
  const en = cardText((await h.onlyReply(messageId)).card, 'en');
  expect(en).toContain(SENT);
  expect(en).toContain(READ);
  expect(en).toContain('**55**'); // read in all: 45 + 10
});

it('bm-x and bm_x are never rewritten into each other: the other spelling is another message', async () => {
  let messageId = '';
  const calls = await readUserCallsOf(async () => ({ messageId } = await h.send(`/reads ${SENT_UNDERSCORED}`)));
  expect(calls).toEqual([SENT_UNDERSCORED]);
  expect(cardText((await h.onlyReply(messageId)).card, 'en')).toContain('230030'); // the fake knows no such message
});

it('the buttons of a bm- card carry the id and work: Refresh and Delivery', async () => {
  const { messageId } = await h.send(`/reads ${SENT}`);
  const reply = await h.onlyReply(messageId);
  const refresh = buttonValue(reply.card, 'Refresh');
  expect(refresh).toMatchObject({ a: 'refresh', ids: [SENT] });
  let answer: Record<string, unknown> = {};
  const calls = await readUserCallsOf(
    async () =>
      ({ answer } = await h.press({
        operatorOpenId: 'ou_ann',
        messageId: reply.messageId,
        chatId: 'oc_x',
        value: refresh,
      })),
  );
  expect(calls).toEqual([SENT]);
  expect(cardText((answer.card as { data: unknown }).data, 'en')).toContain('Read rate: 56.3%');

  const progressBefore = h.fake.progressCalls.length;
  const delivery = buttonValue(reply.card, 'Delivery');
  expect(delivery).toMatchObject({ a: 'delivery', id: SENT });
  await h.press({ operatorOpenId: 'ou_ann', messageId: reply.messageId, chatId: 'oc_x', value: delivery });
  await h.bot.idle();
  expect(h.fake.progressCalls.slice(progressBefore).map((c) => c.batchId)).toEqual([SENT]);
});

it('history, watch and the delivery funnel take a bm- id', async () => {
  const history = await h.send(`${SENT} 历史`);
  const historyText = cardText((await h.onlyReply(history.messageId)).card, 'en');
  expect(historyText).toContain(SENT);
  expect(historyText).not.toContain('Invalid batch message id');

  const delivery = await h.send(`/reads ${SENT} delivery`);
  expect(cardText((await h.onlyReply(delivery.messageId)).card, 'en')).toContain('80'); // valid recipients

  const chat = { chatId: 'oc_watcher', senderOpenId: 'ou_watcher' };
  const watch = await h.send(`/watch ${SENT} 30m every 5m`, chat);
  const card = await h.onlyReply(watch.messageId);
  expect(buttonValue(card.card, 'Stop watching')).toMatchObject({ a: 'stop_watch' });
  // The other spelling is another id: stopping it does not stop this watch.
  const other = await h.send(`/reads ${SENT_UNDERSCORED} stop`, chat);
  expect(cardText((await h.onlyReply(other.messageId)).card, 'en')).toContain(
    `This chat is not watching **${SENT_UNDERSCORED}**`,
  );
  const stop = await h.send(`/reads ${SENT} stop`, chat);
  expect(cardText((await h.onlyReply(stop.messageId)).card, 'en')).toContain(`Stopped watching **${SENT}**`);
});

it('the query form takes a bm- id', async () => {
  const { messageId } = await h.send(`/reads ${READ}`);
  const reply = await h.onlyReply(messageId);
  const { answer } = await h.press({
    operatorOpenId: 'ou_former',
    messageId: reply.messageId,
    chatId: 'oc_former',
    value: { a: 'query_form' },
    form: { name: QUERY_FORM.submit, values: { [QUERY_FORM.input]: `${SENT}\n${READ}` } },
  });
  const en = cardText((answer.card as { data: unknown }).data, 'en');
  expect(en).toContain(SENT);
  expect(en).toContain('**55**');
});
