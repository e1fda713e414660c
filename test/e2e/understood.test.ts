/**
 * What people actually type, over real HTTP: ids after commas, an id on its
 * own, and the limit that spends only what costs something — help and
 * invalid-id answers have a looser limit of their own than queries.
 */
import { cardText } from '../support/cards.js';
import { APP, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({});
});
afterAll(() => h.close());

const answerTo = async (text: string, options: { senderOpenId?: string; chatId?: string } = {}) => {
  const { messageId } = await h.send(text, options);
  return cardText((await h.onlyReply(messageId)).card, 'en');
};

it('answers comma-separated ids, in either language’s punctuation, with one card for all of them', async () => {
  h.fake.setBatch('bm_comma_a', { kind: 'counts', read: 1, total: 4 });
  h.fake.setBatch('bm_comma_b', { kind: 'counts', read: 3, total: 4 });
  h.fake.setBatch('bm_comma_c', { kind: 'counts', read: 2, total: 4 });
  const calls = h.fake.readUserCalls.length;
  const en = await answerTo('/reads bm_comma_a,bm_comma_b，bm_comma_c！');
  for (const id of ['bm_comma_a', 'bm_comma_b', 'bm_comma_c']) expect(en).toContain(id);
  expect(en).not.toContain('Invalid batch message id');
  expect(
    h.fake.readUserCalls
      .slice(calls)
      .map((c) => c.batchId)
      .sort(),
  ).toEqual(['bm_comma_a', 'bm_comma_b', 'bm_comma_c']);
});

it('answers an id sent on its own, or inside a sentence, with its counts', async () => {
  h.fake.setBatch('bm_bare', { kind: 'counts', read: 7, total: 10 });
  expect(await answerTo('bm_bare')).toContain('Read rate: 70.0%');
  expect(await answerTo('帮我查一下bm_bare的阅读数')).toContain('Read rate: 70.0%');
});

it('in a group, reads a bare id only when the bot is @mentioned', async () => {
  h.fake.setBatch('bm_group', { kind: 'counts', read: 1, total: 4 });
  const quiet = await h.send('bm_group', { chatType: 'group', chatId: 'oc_team' });
  const other = await h.send('@_user_1 bm_group', {
    chatType: 'group',
    chatId: 'oc_team',
    mentions: [{ openId: 'ou_someone', name: 'Someone' }],
  });
  const asked = await h.send('@_user_1 bm_group', {
    chatType: 'group',
    chatId: 'oc_team',
    mentions: [{ openId: APP.botOpenId, name: 'Reads bot' }],
  });
  expect(cardText((await h.onlyReply(asked.messageId)).card, 'en')).toContain('Read rate: 25.0%');
  expect(h.fake.repliesTo(quiet.messageId)).toEqual([]);
  expect(h.fake.repliesTo(other.messageId)).toEqual([]);
});

it('answers a half-understood command with the exact command to send', async () => {
  const en = await answerTo('/reads bm_bare 2h');
  expect(en).toContain('Did you mean `/reads bm_bare watch 2h every 5m`?');
});

it('answers help and invalid ids beyond the query limit, up to a looser limit of their own', async () => {
  // 10 queries a minute: the 11th is refused...
  h.fake.setBatch('bm_limit', { kind: 'counts', read: 1, total: 2 });
  const asker = { senderOpenId: 'ou_asker' };
  for (let i = 0; i < 10; i++) {
    expect(await answerTo('/reads bm_limit', { ...asker, chatId: `oc_q_${i}` })).toContain('Read rate');
  }
  expect(await answerTo('/reads bm_limit', { ...asker, chatId: 'oc_q_10' })).toContain('at most 10 commands a minute');
  // ...while help and invalid ids, which ask Feishu nothing, are still answered,
  for (let i = 0; i < 12; i++) {
    const text = i % 2 === 0 ? '/help' : '/reads bm_not#valid';
    const en = await answerTo(text, { ...asker, chatId: `oc_h_${i}` });
    expect(en).toContain(i % 2 === 0 ? 'How to use' : 'Invalid batch message id');
  }
  // up to 30 a minute.
  const explorer = { senderOpenId: 'ou_explorer' };
  for (let i = 0; i < 30; i++)
    expect(await answerTo('/help', { ...explorer, chatId: `oc_e_${i}` })).toContain('How to use');
  expect(await answerTo('/help', { ...explorer, chatId: 'oc_e_30' })).toContain('at most 30 commands a minute');
});
