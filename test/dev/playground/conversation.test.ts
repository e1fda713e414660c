import { Conversation } from '../../../src/dev/playground/conversation.js';

const reply = (parentId: string, messageId: string, at: number, card: unknown = { v: 'first' }) => ({
  parentId,
  messageId,
  card,
  at,
  msgType: 'interactive',
});

describe('Conversation', () => {
  it('pairs replies with what was typed, ignores others, and reports only what changed', () => {
    const c = new Conversation();
    c.sending({ id: 'om_1', text: '/reads bm_a', where: 'p2p', sentAt: 1 });
    // The reply may be read before the bot's acknowledgement comes back.
    c.apply({ replies: [reply('om_1', 'om_card', 5), reply('om_someone_else', 'om_x', 6)], patches: [] });
    c.acknowledged('om_1', 200);
    const all = c.since(0);
    expect(all.messages).toEqual([
      expect.objectContaining({
        id: 'om_1',
        status: 200,
        reply: { messageId: 'om_card', card: { v: 'first' }, at: 5, updates: 0 },
      }),
    ]);
    expect(c.read).toEqual({ replies: 2, patches: 0, sent: 0 });
    expect(c.since(all.version).messages).toEqual([]);
  });

  it('shows the latest of the bot’s updates and the callbacks’ answers; an older one lost the race', () => {
    const c = new Conversation();
    c.sending({ id: 'om_1', text: 't', where: 'group', sentAt: 1 });
    c.apply({ replies: [reply('om_1', 'om_card', 10)], patches: [] });
    const before = c.since(0).version;
    c.cardChanged('om_card', { v: 'pressed' }, 30);
    c.apply({ replies: [], patches: [{ messageId: 'om_card', card: { v: 'stale patch' }, at: 20 }] });
    expect(c.byCard('om_card')?.reply).toEqual({ messageId: 'om_card', card: { v: 'pressed' }, at: 30, updates: 1 });
    c.apply({ replies: [], patches: [{ messageId: 'om_card', card: { v: 'watch update' }, at: 40 }] });
    const changed = c.since(before);
    expect(changed.messages.map((m) => m.reply?.card)).toEqual([{ v: 'watch update' }]);
    expect(changed.messages[0]!.reply!.updates).toBe(2);
  });

  it('keeps the last 100 messages', () => {
    const c = new Conversation();
    for (let i = 0; i < 105; i++) c.sending({ id: `om_${i}`, text: 't', where: 'p2p', sentAt: i });
    const { messages } = c.since(0);
    expect(messages).toHaveLength(100);
    expect(messages[0]!.id).toBe('om_5');
  });
});
