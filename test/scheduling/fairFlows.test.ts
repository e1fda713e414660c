/** The fair order's arithmetic: classes in turn, deficit round robin across chats and then people, costs in calls. */
import { FairQueue, type Lane, type WorkClass } from '../../src/queue/fairQueue.js';

const lane = (chat: string, person = `${chat}_p`, cls: WorkClass = 'bulk'): Lane => ({ cls, chat, person });

function drain<T>(queue: FairQueue<T>): T[] {
  const out: T[] = [];
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) out.push(item);
  return out;
}

describe('FairQueue', () => {
  it('serves chats in turn, one call each a round, whatever order they came in', () => {
    const q = new FairQueue<string>();
    for (let i = 1; i <= 3; i++) q.push(`a${i}`, lane('a'));
    for (let i = 1; i <= 2; i++) q.push(`b${i}`, lane('b'));
    q.push('c1', lane('c'));
    expect(q.size).toBe(6);
    expect(drain(q)).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
    expect(q.size).toBe(0);
  });

  it('within a chat, serves its people in turn', () => {
    const q = new FairQueue<string>();
    for (let i = 1; i <= 3; i++) q.push(`x${i}`, lane('group', 'x'));
    q.push('y1', lane('group', 'y'));
    q.push('other1', lane('other'));
    expect(drain(q)).toEqual(['x1', 'other1', 'y1', 'x2', 'x3']);
  });

  it('serves a chat with one item waiting in the next round, behind thousands from 110 others', () => {
    const q = new FairQueue<string>();
    for (let n = 0; n < 10; n++) for (let c = 0; c < 110; c++) q.push(`c${c}:${n}`, lane(`oc_${c}`));
    for (let k = 0; k < 55; k++) q.shift(); // halfway through the first round
    q.push('newcomer', lane('oc_new'));
    const next = Array.from({ length: 200 }, () => q.shift());
    // It joins the round at its end: after the 55 chats still to be served in this round and the 54 served before it came.
    expect(next.indexOf('newcomer')).toBe(109);
    expect(q.size).toBe(1100 - 55 - 200 + 1);
  });

  it('keeps one flow a person however many people wait: looked up one by one at first, then by an index', () => {
    const q = new FairQueue<string>();
    q.push('p0:1', lane('group', 'p0'));
    q.push('p0:2', lane('group', 'p0'));
    for (let p = 1; p <= 11; p++) q.push(`p${p}:1`, lane('group', `p${p}`)); // the ninth person makes the index
    q.push('p0:3', lane('group', 'p0'));
    q.push('p5:2', lane('group', 'p5'));
    const firstRound = ['p0:1', ...Array.from({ length: 11 }, (_, p) => `p${p + 1}:1`)];
    expect(drain(q)).toEqual([...firstRound, 'p0:2', 'p5:2', 'p0:3']);
    // Emptied, the chat starts again from one person, looked up one by one.
    q.push('p7:1', lane('group', 'p7'));
    q.push('p8:1', lane('group', 'p8'));
    q.push('p7:2', lane('group', 'p7'));
    expect(drain(q)).toEqual(['p7:1', 'p8:1', 'p7:2']);
  });

  it('counts a command by its calls: a 10-call command takes ten rounds of turns', () => {
    const q = new FairQueue<string>();
    q.push('ten', lane('admin'), 10);
    for (let i = 1; i <= 12; i++) q.push(`one${i}`, lane('single'));
    const order = drain(q);
    // The single-call chat gets ten turns while the 10-call command saves up for its own.
    expect(order.indexOf('ten')).toBe(9);
    expect(order.slice(0, 9)).toEqual(Array.from({ length: 9 }, (_, i) => `one${i + 1}`));
    expect(order).toHaveLength(13);
  });

  it('serves every person’s command before bulk, and bulk before watches', () => {
    const q = new FairQueue<string>();
    q.push('watch', lane('a', 'p', 'watch'));
    q.push('bulk', lane('a', 'p', 'bulk'));
    q.push('person', lane('b', 'q', 'person'));
    expect(q.sizeOf('bulk')).toBe(1);
    expect(q.peek()).toEqual({ item: 'person', cls: 'person' });
    expect(drain(q)).toEqual(['person', 'bulk', 'watch']);
  });

  it('peeks what it will shift, and shifts from the classes asked for only', () => {
    const q = new FairQueue<string>();
    q.push('a1', lane('a'), 3);
    q.push('b1', lane('b'));
    q.push('p1', lane('p', 'p', 'person'));
    expect(q.peek(['bulk', 'watch'])).toEqual({ item: 'b1', cls: 'bulk' });
    expect(q.peek(['bulk', 'watch'])).toEqual({ item: 'b1', cls: 'bulk' }); // asking again changes nothing
    q.push('c1', lane('c')); // a later chat does not jump the one whose turn it is
    expect(q.shift(['bulk'])).toBe('b1');
    expect(q.shift(['watch'])).toBeUndefined();
    expect(q.peek(['watch'])).toBeUndefined();
    expect(q.shift()).toBe('p1');
  });

  it('gives a chat that emptied no saved credit when it comes back', () => {
    const q = new FairQueue<string>();
    q.push('a1', lane('a'));
    q.push('b1', lane('b'), 2);
    expect(q.shift()).toBe('a1'); // a spent its turn; b is saving for its 2-call item
    q.push('a2', lane('a'));
    expect(drain(q)).toEqual(['a2', 'b1']);
  });

  it('empties on clear, giving back what waited, and keeps working after a long run', () => {
    const q = new FairQueue<number>();
    for (let i = 0; i < 300; i++) q.push(i, lane('a'));
    for (let i = 0; i < 200; i++) q.shift();
    expect(q.clear()).toEqual(Array.from({ length: 100 }, (_, i) => 200 + i));
    expect(q.size).toBe(0);
    q.push(1, lane('a'));
    expect(q.shift()).toBe(1);
  });
});
