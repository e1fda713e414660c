/** Access policy end to end: a refused person gets a polite card and costs no read_user call. */
import { feishuRequest, messageEvent, newMessageId } from '../../src/dev/demo/feishuEvents.js';
import { APP, KEY, TOKEN } from '../support/harness.js';
import { cardText } from '../support/cards.js';
import { startHarness, type Harness } from '../support/harness.js';

const mention = { chatType: 'group' as const, mentions: [{ openId: APP.botOpenId, name: 'Reads Bot' }] };

const only = async (h: Harness, messageId: string) => cardText((await h.onlyReply(messageId)).card);

describe('group owners and managers only', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      access: { kind: 'group_admins' },
      fake: {
        batches: { bm_team: { kind: 'counts', read: 9, total: 10 } },
        chats: { oc_team: { ownerOpenId: 'ou_owner', managerOpenIds: ['ou_manager'] } },
      },
    });
  });
  afterAll(() => h.close());

  it('answers the group manager and the owner', async () => {
    const manager = await h.send('@_user_1 /reads bm_team', {
      ...mention,
      chatId: 'oc_team',
      senderOpenId: 'ou_manager',
    });
    const owner = await h.send('@_user_1 /reads bm_team', { ...mention, chatId: 'oc_team', senderOpenId: 'ou_owner' });
    expect(await only(h, manager.messageId)).toContain('90.0%');
    expect(await only(h, owner.messageId)).toContain('90.0%');
    expect(h.fake.lookups.filter((l) => l.api === 'chat')).toHaveLength(1); // cached
  });

  it('refuses a plain member politely, without calling read_user', async () => {
    const before = h.fake.readUserCalls.length;
    const member = await h.send('@_user_1 /reads bm_team', {
      ...mention,
      chatId: 'oc_team',
      senderOpenId: 'ou_member',
    });
    expect(await only(h, member.messageId)).toContain('only the group owner and managers');
    expect(h.fake.readUserCalls.length).toBe(before);
  });

  it('still answers anyone one-to-one', async () => {
    const p2p = await h.send('/reads bm_team', { senderOpenId: 'ou_member' });
    expect(await only(h, p2p.messageId)).toContain('90.0%');
  });

  it('says so when it cannot check (the bot is not in that chat, say)', async () => {
    const unknown = await h.send('@_user_1 /reads bm_team', {
      ...mention,
      chatId: 'oc_unknown',
      senderOpenId: 'ou_owner',
    });
    expect(await only(h, unknown.messageId)).toContain('could not check whether you may use it');
  });
});

describe('allow-list', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      access: { kind: 'allowlist', users: new Set(['ou_alice']), departments: new Set(['od-ops']) },
      fake: {
        batches: { bm_x: { kind: 'counts', read: 1, total: 1 } },
        users: { ou_bob: ['od-ops'], ou_eve: ['od-sales'] },
      },
    });
  });
  afterAll(() => h.close());

  it('answers listed people and members of listed departments; refuses the rest', async () => {
    const alice = await h.send('/reads bm_x', { senderOpenId: 'ou_alice' });
    const bob = await h.send('/reads bm_x', { senderOpenId: 'ou_bob' });
    const eve = await h.send('/reads bm_x', { senderOpenId: 'ou_eve' });
    expect(await only(h, alice.messageId)).toContain('100%');
    expect(await only(h, bob.messageId)).toContain('100%');
    expect(await only(h, eve.messageId)).toContain('limited this bot to certain people or departments');
    expect(h.fake.readUserCalls).toHaveLength(2);
  });
});

describe('allow-list by user_id', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      access: { kind: 'allowlist', users: new Set(['u_alice']), departments: new Set() },
      fake: { batches: { bm_uid: { kind: 'counts', read: 3, total: 4 } } },
    });
  });
  afterAll(() => h.close());

  /** A p2p `/reads bm_uid` from open_id `openId`, with the user_id Feishu adds when the app may see it. */
  async function sendAs(openId: string, userId: string | undefined): Promise<string> {
    const messageId = newMessageId();
    h.fake.registerMessage(messageId, `oc_${openId}`);
    const { event, ...rest } = messageEvent({
      token: TOKEN,
      text: '/reads bm_uid',
      messageId,
      chatId: `oc_${openId}`,
      senderOpenId: openId,
    });
    const e = structuredClone(event) as { sender: { sender_id: Record<string, string> } };
    if (userId !== undefined) e.sender.sender_id = { ...e.sender.sender_id, user_id: userId };
    const req = feishuRequest({ ...rest, event: e }, KEY);
    expect((await h.post(req.body, req.headers)).status).toBe(200);
    return messageId;
  }

  it('lets in the person whose user_id is listed, though their open_id is not', async () => {
    const alice = await sendAs('ou_alice_in_this_app', 'u_alice');
    const mallory = await sendAs('ou_mallory', 'u_mallory');
    const noUserId = await sendAs('ou_alice_in_this_app', undefined);
    expect(await only(h, alice)).toContain('75.0%');
    expect(await only(h, mallory)).toContain('limited this bot to certain people or departments');
    expect(await only(h, noUserId)).toContain('limited this bot to certain people or departments');
    expect(h.fake.readUserCalls.map((c) => c.batchId)).toEqual(['bm_uid']);
  });
});

describe('button presses follow the same policy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      access: { kind: 'group_admins' },
      fake: {
        batches: { bm_team: { kind: 'counts', read: 9, total: 10 } },
        chats: { oc_team: { ownerOpenId: 'ou_owner' } },
      },
    });
  });
  afterAll(() => h.close());

  it('refreshes for the owner; a member gets a toast and costs no read_user call', async () => {
    const { messageId } = await h.send('@_user_1 /reads bm_team', {
      ...mention,
      chatId: 'oc_team',
      senderOpenId: 'ou_owner',
    });
    await h.bot.idle();
    const reply = h.fake.repliesTo(messageId)[0]!;
    const value = { a: 'refresh', ids: ['bm_team'] };
    const before = h.fake.readUserCalls.length;
    const member = await h.press({ operatorOpenId: 'ou_member', messageId: reply.messageId, chatId: 'oc_team', value });
    expect(member.answer).toEqual({
      toast: expect.objectContaining({
        type: 'warning',
        i18n: expect.objectContaining({ en_us: 'Sorry, you may not use this bot here.' }),
      }),
    });
    expect(h.fake.readUserCalls.length).toBe(before);
    const owner = await h.press({ operatorOpenId: 'ou_owner', messageId: reply.messageId, chatId: 'oc_team', value });
    expect(owner.answer.toast).toMatchObject({ type: 'success', i18n: { en_us: 'Refreshed.' } });
    const card = owner.answer.card as { type: string; data: unknown };
    expect(card.type).toBe('raw');
    const en = cardText(card.data, 'en');
    expect(en).toContain('Read rate: 90.0%');
    expect(en).toContain("refreshed by <person id='ou_owner'");
    expect(h.fake.readUserCalls.length).toBe(before + 1);
  });
});
