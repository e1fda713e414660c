import { AccessControl } from '../../src/dispatch/access.js';
import { BotError } from '../../src/domain/errors.js';

function lookups() {
  const calls = { chat: 0, user: 0 };
  return {
    calls,
    chatAdmins: async (chatId: string) => {
      calls.chat++;
      if (chatId === 'oc_broken') throw new BotError('feishu_api', 'no scope', { feishuCode: 99991672 });
      if (chatId === 'oc_p2p') return { isGroup: false, managerOpenIds: [] };
      return { isGroup: true, ownerOpenId: 'ou_owner', managerOpenIds: ['ou_manager'] };
    },
    userDepartments: async (openId: string) => {
      calls.user++;
      return openId === 'ou_in_dept' ? ['od-sales'] : ['od-other'];
    },
  };
}

describe('AccessControl', () => {
  it('lets everyone in by default, without look-ups', async () => {
    const l = lookups();
    const ac = new AccessControl({ kind: 'everyone' }, l, () => 0);
    await expect(ac.check({ chatId: 'oc', chatType: 'group', openId: 'ou_x' })).resolves.toEqual({ allowed: true });
    expect(l.calls).toEqual({ chat: 0, user: 0 });
  });

  it('allows listed users (open_id or user_id) and members of listed departments', async () => {
    const l = lookups();
    const ac = new AccessControl(
      { kind: 'allowlist', users: new Set(['ou_listed', 'u_emp1']), departments: new Set(['od-sales']) },
      l,
      () => 0,
    );
    await expect(ac.check({ chatId: 'c', chatType: 'p2p', openId: 'ou_listed' })).resolves.toEqual({ allowed: true });
    await expect(ac.check({ chatId: 'c', chatType: 'p2p', openId: 'ou_z', userId: 'u_emp1' })).resolves.toEqual({
      allowed: true,
    });
    await expect(ac.check({ chatId: 'c', chatType: 'p2p', openId: 'ou_in_dept' })).resolves.toEqual({ allowed: true });
    await expect(ac.check({ chatId: 'c', chatType: 'p2p', openId: 'ou_stranger' })).resolves.toEqual({
      allowed: false,
      reason: 'not_on_allowlist',
    });
  });

  it('in groups, allows only the owner and managers; one-to-one chats stay open; look-ups are cached', async () => {
    const l = lookups();
    let now = 0;
    const ac = new AccessControl({ kind: 'group_admins' }, l, () => now);
    await expect(ac.check({ chatId: 'oc_g', chatType: 'group', openId: 'ou_owner' })).resolves.toEqual({
      allowed: true,
    });
    await expect(ac.check({ chatId: 'oc_g', chatType: 'group', openId: 'ou_manager' })).resolves.toEqual({
      allowed: true,
    });
    await expect(ac.check({ chatId: 'oc_g', chatType: 'group', openId: 'ou_member' })).resolves.toEqual({
      allowed: false,
      reason: 'not_group_admin',
    });
    await expect(ac.check({ chatId: 'oc_p', chatType: 'p2p', openId: 'ou_member' })).resolves.toEqual({
      allowed: true,
    });
    expect(l.calls.chat).toBe(1);
    // A card callback does not say what kind of chat it came from: the look-up does.
    await expect(ac.check({ chatId: 'oc_p2p', chatType: 'unknown', openId: 'ou_member' })).resolves.toEqual({
      allowed: true,
    });
    await expect(ac.check({ chatId: 'oc_g', chatType: 'unknown', openId: 'ou_member' })).resolves.toMatchObject({
      allowed: false,
    });
    now = 61_000;
    await ac.check({ chatId: 'oc_g', chatType: 'group', openId: 'ou_owner' });
    expect(l.calls.chat).toBe(3);
  });

  it('refuses, saying why, when the check itself fails — and does not cache the failure', async () => {
    const l = lookups();
    const ac = new AccessControl({ kind: 'group_admins' }, l, () => 0);
    const d = await ac.check({ chatId: 'oc_broken', chatType: 'group', openId: 'ou_owner' });
    expect(d).toMatchObject({ allowed: false, reason: 'check_failed', error: { feishuCode: 99991672 } });
    await ac.check({ chatId: 'oc_broken', chatType: 'group', openId: 'ou_owner' });
    expect(l.calls.chat).toBe(2);
  });
});
