import { groupPerTurn } from '../../../src/state/sqlite/groupCommit.js';

const nextTurn = () => new Promise((r) => setImmediate(r));

it('hands every call made in one turn to one run, and each caller gets its own result', async () => {
  const runs: number[][] = [];
  const double = groupPerTurn((items: number[]) => (runs.push(items), items.map((n) => n * 2)));
  const first = await Promise.all([double(1), double(2), double(3)]);
  await nextTurn();
  const later = await double(4);
  expect(first).toEqual([2, 4, 6]);
  expect(later).toBe(8);
  expect(runs).toEqual([[1, 2, 3], [4]]);
});

it('rejects every call of a failed run, and the next turn runs afresh', async () => {
  let fail = true;
  const run = groupPerTurn((items: string[]) => {
    if (fail) throw new Error('disk full');
    return items;
  });
  const failed = await Promise.allSettled([run('a'), run('b')]);
  expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  fail = false;
  await expect(run('c')).resolves.toBe('c');
});
