import { pushOnto } from '../../src/scheduling/arrays.js';

describe('pushOnto', () => {
  it('starts an empty array afresh with the element, and appends to one that has elements', () => {
    const empty: number[] = [];
    const started = pushOnto(empty, 1);
    expect(started).toEqual([1]);
    expect(started).not.toBe(empty);
    expect(pushOnto(started, 2)).toBe(started);
    expect(started).toEqual([1, 2]);
  });
});
