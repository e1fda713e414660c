import { Admissions } from '../../src/scheduling/admissions.js';

describe('Admissions', () => {
  it('answers busy once the whole queue is full, and runs again when work is done', () => {
    const a = new Admissions({ maxPending: 2, maxPendingPerChat: 10, userCommandsPerMinute: 100 });
    expect(a.admit({ chatId: 'c1' }, 0).kind).toBe('run');
    expect(a.admit({ chatId: 'c2' }, 0).kind).toBe('run');
    expect(a.admit({ chatId: 'c3' }, 0)).toMatchObject({ kind: 'busy' });
    expect(a.saturated()).toBe(true);
    a.done({ chatId: 'c1' });
    expect(a.admit({ chatId: 'c3' }, 0).kind).toBe('run');
  });

  it('runs resumed work whatever the load, counting it as pending', () => {
    const a = new Admissions({ maxPending: 1, maxPendingPerChat: 1, userCommandsPerMinute: 1 });
    expect(a.admit({ chatId: 'c', senderKey: 'u' }, 0).kind).toBe('run');
    expect(a.admit({ chatId: 'c', senderKey: 'u' }, 0, { resumed: true }).kind).toBe('run');
    expect(a.pending).toBe(2);
  });

  it('caps pending work per chat without touching other chats', () => {
    const a = new Admissions({ maxPending: 100, maxPendingPerChat: 2, userCommandsPerMinute: 100 });
    a.admit({ chatId: 'busy' }, 0);
    a.admit({ chatId: 'busy' }, 0);
    expect(a.admit({ chatId: 'busy' }, 0)).toMatchObject({ kind: 'chat_busy', pending: 2 });
    expect(a.admit({ chatId: 'quiet' }, 0).kind).toBe('run');
  });

  it('tells a chat it must wait once, not on every message of a flood, then again later', () => {
    const a = new Admissions({ maxPending: 1, maxPendingPerChat: 10, userCommandsPerMinute: 100 });
    a.admit({ chatId: 'other' }, 0);
    expect(a.admit({ chatId: 'c' }, 0)).toMatchObject({ kind: 'busy', tell: true });
    expect(a.admit({ chatId: 'c' }, 5_000)).toMatchObject({ kind: 'busy', tell: false });
    expect(a.admit({ chatId: 'd' }, 5_000)).toMatchObject({ kind: 'busy', tell: true });
    expect(a.admit({ chatId: 'c' }, 10_000)).toMatchObject({ kind: 'busy', tell: true });
  });

  it('refuses a person over their rate, telling them once, then again later', () => {
    const a = new Admissions({ maxPending: 100, maxPendingPerChat: 100, userCommandsPerMinute: 3 });
    const over = { allowed: false as const, retryAfterMs: 59_990 };
    const a1 = { chatId: 'c', senderKey: 'ou_a' };
    expect(a.admit(a1, 0, { personRate: { allowed: true } }).kind).toBe('run');
    expect(a.admit(a1, 10, { personRate: over })).toEqual({ kind: 'slow_down', retryAfterMs: 59_990, tell: true });
    expect(a.admit(a1, 20, { personRate: over })).toMatchObject({ kind: 'slow_down', tell: false });
    expect(a.admit({ chatId: 'c', senderKey: 'ou_b' }, 20, { personRate: { allowed: true } }).kind).toBe('run');
    expect(a.admit(a1, 15_000, { personRate: over })).toMatchObject({ kind: 'slow_down', tell: true });
    expect(a.admit(a1, 15_000, { personRate: over, resumed: true }).kind).toBe('run'); // admitted before a restart
  });
});
