import { Admissions } from '../../src/queue/admissions.js';

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
    expect(a.admit({ chatId: 'c', senderKey: 'u' }, 0, true).kind).toBe('run');
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

  it('limits each person’s commands per minute, telling them once, then again later', () => {
    const a = new Admissions({ maxPending: 100, maxPendingPerChat: 100, userCommandsPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect(a.admit({ chatId: 'c', senderKey: 'ou_a' }, i).kind).toBe('run');
    expect(a.admit({ chatId: 'c', senderKey: 'ou_a' }, 10)).toEqual({
      kind: 'slow_down',
      retryAfterMs: 59_990,
      tell: true,
    });
    expect(a.admit({ chatId: 'c', senderKey: 'ou_a' }, 20)).toMatchObject({ kind: 'slow_down', tell: false });
    expect(a.admit({ chatId: 'c', senderKey: 'ou_b' }, 20).kind).toBe('run');
    expect(a.admit({ chatId: 'c', senderKey: 'ou_a' }, 15_000)).toMatchObject({ kind: 'slow_down', tell: true });
    expect(a.admit({ chatId: 'c', senderKey: 'ou_a' }, 60_001).kind).toBe('run');
  });
});
