/** Load and abuse: past the caps, people get a card saying when to retry — and nothing is run for them. */

import { cardText } from '../support/cards.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({
    limits: { maxPending: 3, maxPendingPerChat: 2, userCommandsPerMinute: 3 },
    fake: { fallback: () => ({ kind: 'counts', read: 1, total: 2, delayMs: 400 }) }, // every id answers slowly
  });
});
afterEach(() => h.close());

const texts = async (ids: string[]) => {
  await h.bot.idle();
  return ids.map((id) => {
    const replies = h.fake.repliesTo(id);
    expect(replies.length).toBeLessThanOrEqual(1);
    return replies[0] ? cardText(replies[0].card) : undefined;
  });
};

it('caps the work waiting in one chat; other chats go on', async () => {
  const inGroup = await Promise.all([1, 2, 3].map((i) => h.send(`/reads bm_slow_${i}`, { chatId: 'oc_busy' })));
  const elsewhere = await h.send('/reads bm_slow_4', { chatId: 'oc_quiet' });
  const [a, b, c, d] = await texts([...inGroup.map((s) => s.messageId), elsewhere.messageId]);
  expect([a, b, d].every((t) => t?.includes('50.0%'))).toBe(true);
  expect(c).toContain('This chat already has 2 queries waiting');
  expect(h.fake.readUserCalls).toHaveLength(3);
});

it('answers "busy, try again shortly" once the whole queue is full', async () => {
  const sent = await Promise.all([1, 2, 3, 4].map((i) => h.send(`/reads bm_slow_${i}`, { chatId: `oc_${i}` })));
  const answers = await texts(sent.map((s) => s.messageId));
  expect(answers.filter((t) => t?.includes('50.0%'))).toHaveLength(3);
  expect(answers[3]).toContain('Too many queries are queued right now');
  expect(h.fake.readUserCalls).toHaveLength(3);
});

it('limits one person’s commands per minute, telling them when to retry (once, not on every message)', async () => {
  const senderOpenId = 'ou_flooder';
  const sent = [];
  for (let i = 0; i < 5; i++) sent.push(await h.send('/help', { chatId: `oc_f${i}`, senderOpenId }));
  const other = await h.send('/help', { chatId: 'oc_f0', senderOpenId: 'ou_calm' });
  const answers = await texts([...sent.map((s) => s.messageId), other.messageId]);
  expect(answers.slice(0, 3).every((t) => t?.includes('How to use'))).toBe(true);
  expect(answers[3]).toMatch(/at most 3 commands a minute[\s\S]*Try again in \d+ s/);
  expect(answers[4]).toBeUndefined(); // told moments ago: no second card
  expect(answers[5]).toContain('How to use');
});
