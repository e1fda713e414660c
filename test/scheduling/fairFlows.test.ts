/** The fair order's arithmetic (p-queue's queueClass): deficit round robin across chats and then people, costs in calls. */
import PQueue from 'p-queue';
import { FairFlows, type LaneOptions, type Run } from '../../src/scheduling/fairFlows.js';
import type { Lane } from '../../src/scheduling/lanes.js';

const lane = (chat: string, person = `${chat}_p`): Lane => ({ cls: 'bulk', chat, person });

/** A queue of named tasks: each task is a function that says its name. */
class Named {
  readonly flows = new FairFlows();
  private readonly names = new Map<Run, string>();

  push(name: string, l: Lane, cost?: number): void {
    const run: Run = async () => name;
    this.names.set(run, name);
    this.flows.enqueue(run, { lane: l, cost });
  }

  shift(): string | undefined {
    const run = this.flows.dequeue();
    return run && this.names.get(run);
  }

  drain(): string[] {
    const out: string[] = [];
    for (let name = this.shift(); name !== undefined; name = this.shift()) out.push(name);
    return out;
  }
}

describe('FairFlows', () => {
  it('serves chats in turn, one call each a round, whatever order they came in', () => {
    const q = new Named();
    for (let i = 1; i <= 3; i++) q.push(`a${i}`, lane('a'));
    for (let i = 1; i <= 2; i++) q.push(`b${i}`, lane('b'));
    q.push('c1', lane('c'));
    expect(q.flows.size).toBe(6);
    expect(q.drain()).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
    expect(q.flows.size).toBe(0);
  });

  it('within a chat, serves its people in turn', () => {
    const q = new Named();
    for (let i = 1; i <= 3; i++) q.push(`x${i}`, lane('group', 'x'));
    q.push('y1', lane('group', 'y'));
    q.push('other1', lane('other'));
    expect(q.drain()).toEqual(['x1', 'other1', 'y1', 'x2', 'x3']);
  });

  it('serves a chat with one task waiting in the next round, behind thousands from 110 others', () => {
    const q = new Named();
    for (let n = 0; n < 10; n++) for (let c = 0; c < 110; c++) q.push(`c${c}:${n}`, lane(`oc_${c}`));
    for (let k = 0; k < 55; k++) q.shift(); // halfway through the first round
    q.push('newcomer', lane('oc_new'));
    const next = Array.from({ length: 200 }, () => q.shift());
    // It joins the round at its end: after the 55 chats still to be served in this round and the 54 served before it came.
    expect(next.indexOf('newcomer')).toBe(109);
    expect(q.flows.size).toBe(1100 - 55 - 200 + 1);
  });

  it('keeps one flow a person however many people wait: looked up one by one at first, then by an index', () => {
    const q = new Named();
    q.push('p0:1', lane('group', 'p0'));
    q.push('p0:2', lane('group', 'p0'));
    for (let p = 1; p <= 11; p++) q.push(`p${p}:1`, lane('group', `p${p}`)); // the ninth person makes the index
    q.push('p0:3', lane('group', 'p0'));
    q.push('p5:2', lane('group', 'p5'));
    const firstRound = ['p0:1', ...Array.from({ length: 11 }, (_, p) => `p${p + 1}:1`)];
    expect(q.drain()).toEqual([...firstRound, 'p0:2', 'p5:2', 'p0:3']);
    // Emptied, the chat starts again from one person, looked up one by one.
    q.push('p7:1', lane('group', 'p7'));
    q.push('p8:1', lane('group', 'p8'));
    q.push('p7:2', lane('group', 'p7'));
    expect(q.drain()).toEqual(['p7:1', 'p8:1', 'p7:2']);
  });

  it('counts a command by its calls: a 10-call command takes ten rounds of turns', () => {
    const q = new Named();
    q.push('ten', lane('admin'), 10);
    for (let i = 1; i <= 12; i++) q.push(`one${i}`, lane('single'));
    const order = q.drain();
    // The single-call chat gets ten turns while the 10-call command saves up for its own.
    expect(order.indexOf('ten')).toBe(9);
    expect(order.slice(0, 9)).toEqual(Array.from({ length: 9 }, (_, i) => `one${i + 1}`));
    expect(order).toHaveLength(13);
  });

  it('gives a chat that emptied no saved credit when it comes back', () => {
    const q = new Named();
    q.push('a1', lane('a'));
    q.push('b1', lane('b'), 2);
    expect(q.shift()).toBe('a1'); // a spent its turn; b is saving for its 2-call item
    q.push('a2', lane('a'));
    expect(q.drain()).toEqual(['a2', 'b1']);
  });

  it('keeps working after a long run, its arrays cut back as they empty', () => {
    const q = new Named();
    for (let i = 0; i < 3000; i++) q.push(`${i}`, lane('a'));
    for (let i = 0; i < 2000; i++) q.shift();
    for (let i = 0; i < 3000; i++) q.push(`b${i}`, lane(`b${i}`));
    // a had its turn when the 3,000 chats came: each of them goes once before a goes again.
    expect(q.drain()).toEqual([
      ...Array.from({ length: 3000 }, (_, i) => `b${i}`),
      ...Array.from({ length: 1000 }, (_, i) => `${2000 + i}`),
    ]);
  });

  it('finds the tasks of one person of one chat, as p-queue’s sizeBy asks', () => {
    const q = new Named();
    q.push('x1', lane('group', 'x'));
    q.push('y1', lane('group', 'y'));
    q.push('x2', lane('group', 'x'));
    q.push('x3', lane('other', 'x'));
    expect(q.flows.filter({ lane: lane('group', 'x') })).toHaveLength(2);
    expect(q.flows.filter({})).toHaveLength(4);
    expect(() => q.flows.setPriority()).toThrow('fair flows take no priorities');
  });
});

describe('FairFlows as p-queue’s queueClass', () => {
  it('starts p-queue’s tasks in fair order, one chat after another, with the cost given to add', async () => {
    const queue = new PQueue<FairFlows, LaneOptions>({ concurrency: 1, autoStart: false, queueClass: FairFlows });
    const order: string[] = [];
    const add = (name: string, l: Lane, cost?: number) =>
      queue.add(async () => void order.push(name), { lane: l, cost });
    const all = [add('a1', lane('a'), 2), add('a2', lane('a')), add('b1', lane('b')), add('b2', lane('b'))];
    expect(queue.sizeBy({ lane: lane('b') })).toBe(2);
    queue.start();
    await Promise.all(all);
    expect(order).toEqual(['b1', 'a1', 'b2', 'a2']);
  });
});
