import fc from 'fast-check';
import { parseCommand } from '../../src/commands/parse.js';
import { isValidBatchId } from '../../src/domain/rules.js';

const idChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'.split(''));
const validId = fc.array(idChar, { minLength: 1, maxLength: 61 }).map((cs) => `bm_${cs.join('')}`);
const space = fc.constantFrom(' ', '  ', '\t', '\u3000', '\n');
const mention = fc.integer({ min: 1, max: 9 }).map((n) => `@_user_${n}`);

describe('parseCommand, for any input', () => {
  it('never throws and always returns a known kind', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const c = parseCommand(text);
        expect(['reads', 'invalid_id', 'help']).toContain(c.kind);
        if (c.kind === 'reads') for (const id of c.batchIds) expect(isValidBatchId(id)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds any valid id, whatever mentions and spacing surround it', () => {
    fc.assert(
      fc.property(
        validId,
        fc.array(mention, { maxLength: 2 }),
        space,
        space,
        fc.constantFrom('/reads', '/READS', '／reads', '/Reads'),
        (id, mentions, s1, s2, cmd) => {
          const text = `${mentions.join(' ')}${s1}${cmd}${s2}${id}${s1}`;
          expect(parseCommand(text)).toEqual({ kind: 'reads', batchIds: [id] });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never accepts an id Feishu could not have issued', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }), (word) => {
        const c = parseCommand(`/reads ${word}`);
        if (c.kind === 'reads') expect(c.batchIds.every((id) => /^bm_[A-Za-z0-9_-]{1,61}$/.test(id))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
