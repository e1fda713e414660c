import { CommandQueue } from '../../src/scheduling/commandQueue.js';
import type { Lane } from '../../src/scheduling/lanes.js';

const bulk = (chat: string, person = 'ou_1'): Lane => ({ cls: 'bulk', chat, person });
const ONE = bulk('oc_1');

const turn = () => new Promise((r) => setImmediate(r));

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('CommandQueue', () => {
  it('runs at most `concurrency` items at once, oldest first, and starts each only on a later turn', async () => {
    const started: number[] = [];
    const gates = new Map<number, ReturnType<typeof gate>>();
    const queue = new CommandQueue<number>(2, async (n) => {
      started.push(n);
      const g = gate();
      gates.set(n, g);
      await g.opened;
    });
    for (let i = 1; i <= 5; i++) queue.push(i, ONE);
    expect(started).toEqual([]); // the webhook that pushed answers first
    expect(queue.waiting).toBe(5);

    await turn();
    expect(started).toEqual([1, 2]);

    gates.get(2)!.open();
    await turn();
    await turn();
    expect(started).toEqual([1, 2, 3]);

    gates.get(1)!.open();
    await turn();
    await turn();
    expect(started).toEqual([1, 2, 3, 4]);

    gates.get(3)!.open();
    gates.get(4)!.open();
    await turn();
    await turn();
    expect(started).toEqual([1, 2, 3, 4, 5]);
    gates.get(5)!.open();
    await queue.idle();
    expect(queue.waiting).toBe(0);
  });

  it('keeps going after a worker fails', async () => {
    const done: number[] = [];
    const queue = new CommandQueue<number>(1, async (n) => {
      if (n === 1) throw new Error('boom');
      done.push(n);
    });
    queue.push(1, ONE);
    queue.push(2, ONE);
    await queue.idle();
    expect(done).toEqual([2]);
  });

  it('after stop, starts nothing more; idle waits only for what runs', async () => {
    const g = gate();
    const started: number[] = [];
    const queue = new CommandQueue<number>(1, async (n) => {
      started.push(n);
      await g.opened;
    });
    queue.push(1, ONE);
    queue.push(2, ONE);
    await turn();
    queue.stop();
    let idle = false;
    const waiting = queue.idle().then(() => (idle = true));
    await turn();
    expect(idle).toBe(false);
    g.open();
    await waiting;
    expect(started).toEqual([1]);
    expect(queue.waiting).toBe(1);
    queue.resume(); // stopped for good: nothing starts again
    await turn();
    expect(started).toEqual([1]);
  });

  it('paused, keeps what waits until resumed; idle meanwhile waits only for what runs', async () => {
    const started: number[] = [];
    const queue = new CommandQueue<number>(5, async (n) => void started.push(n));
    queue.pause();
    queue.push(1, ONE);
    queue.push(2, bulk('oc_2'));
    queue.push(3, { cls: 'person', chat: 'oc_3', person: 'ou_3' }); // a class made while paused is paused too
    await queue.idle();
    expect(started).toEqual([]);
    expect(queue.waiting).toBe(3);
    queue.resume();
    await queue.idle();
    expect(started.sort()).toEqual([1, 2, 3]);
  });

  it('an idle() that waits for a backlog ends when the queue is paused meanwhile', async () => {
    const g = gate();
    const queue = new CommandQueue<number>(1, async () => g.opened);
    queue.push(1, ONE);
    queue.push(2, ONE);
    await turn();
    let idle = false;
    const waiting = queue.idle().then(() => (idle = true));
    queue.pause();
    g.open();
    await waiting;
    expect(idle).toBe(true);
    expect(queue.waiting).toBe(1);
  });

  it('holds a long backlog and drains it in order', async () => {
    const seen: number[] = [];
    const queue = new CommandQueue<number>(3, async (n) => {
      await turn();
      seen.push(n);
    });
    for (let i = 0; i < 5000; i++) queue.push(i, ONE);
    await queue.idle();
    expect(seen).toHaveLength(5000);
    expect(new Set(seen).size).toBe(5000);
    // With 3 running at once, nothing finishes more than 3 places from its turn.
    expect(seen.every((n, i) => Math.abs(n - i) < 3)).toBe(true);
  });

  it('starts a person’s command at once while bulk fills its running slots, and bulk across chats in turn', async () => {
    const started: string[] = [];
    const g = gate();
    const classes = new Map<string, string>();
    const queue = new CommandQueue<string>(2, async (name, cls) => {
      started.push(name);
      classes.set(name, cls);
      await g.opened;
    });
    for (let i = 1; i <= 3; i++) queue.push(`a${i}`, bulk('oc_a'));
    queue.push('b1', bulk('oc_b'));
    queue.push('ten', bulk('oc_c'), 10);
    await turn();
    expect(started).toEqual(['a1', 'b1']); // two bulk running: the rest waits
    queue.push('person', { cls: 'person', chat: 'oc_p', person: 'ou_p' });
    await turn();
    expect(started).toEqual(['a1', 'b1', 'person']);
    g.open();
    await queue.idle();
    // The 10-call command waits while oc_a spends its turns, one call each.
    expect(started).toEqual(['a1', 'b1', 'person', 'a2', 'a3', 'ten']);
    // Each item is told the class it waited in: the queue keeps only the item itself.
    expect(classes.get('person')).toBe('person');
    expect(classes.get('ten')).toBe('bulk');
  });
});
