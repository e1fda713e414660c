import { rememberLast } from '../../../src/inbound/http/memo.js';

describe('rememberLast', () => {
  it('works once for the same argument again, and again for another', () => {
    const calls: string[] = [];
    const shout = rememberLast((s: string) => (calls.push(s), s.toUpperCase()));
    expect([shout('a'), shout('a'), shout('b'), shout('b'), shout('a')]).toEqual(['A', 'A', 'B', 'B', 'A']);
    expect(calls).toEqual(['a', 'b', 'a']);
  });
});
