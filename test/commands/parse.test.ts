import { isValidBatchId, parseCommand } from '../../src/commands/parse.js';

const ID = 'bm_dc13264520392913993dd051dba21dcf';

describe('parseCommand', () => {
  it.each([
    [`/reads ${ID}`],
    [`@_user_1 /reads ${ID}`],
    [`/reads ${ID} @_user_1`],
    [`   /reads     ${ID}   `],
    [`／reads ${ID}`],
    [`/READS ${ID}`],
    [`／ＲＥＡＤＳ　${ID}`],
    [`/Reads\t${ID}\n`],
    [`/reads "${ID}"`],
    [`/reads \`${ID}\``],
    [`/reads <${ID}>`],
    [`/reads ${ID}。`],
    [`/reads \u200B${ID}\uFEFF`],
  ])('reads the id from %j', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'reads', batchIds: [ID] });
  });

  it('keeps the id exactly as typed (ids are case-sensitive)', () => {
    expect(parseCommand('/reads bm_AbC-1_x')).toEqual({ kind: 'reads', batchIds: ['bm_AbC-1_x'] });
  });

  it('lists several ids once each, in order', () => {
    expect(parseCommand('/reads bm_b bm_a bm_b')).toEqual({ kind: 'reads', batchIds: ['bm_b', 'bm_a'] });
  });

  it.each([
    ['/reads om_dc13264520392913993dd051dba21dcf', 'om_dc13264520392913993dd051dba21dcf'],
    ['/reads bm_', 'bm_'],
    ['/reads bm_abc!', 'bm_abc!'],
    ['/reads BM_abc', 'BM_abc'],
    ['/reads bm_abc/../x', 'bm_abc/../x'],
    [`/reads bm_${'a'.repeat(62)}`, `bm_${'a'.repeat(62)}`],
    ['/reads bm_ok bm_中文', 'bm_中文'],
  ])('refuses %j as an invalid id', (text, given) => {
    expect(parseCommand(text)).toEqual({ kind: 'invalid_id', given });
  });

  it.each([
    ['/reads', 'missing_id'],
    ['@_user_1 /reads', 'missing_id'],
    ['/help', 'asked'],
    ['@_user_1 ／HELP', 'asked'],
    ['hello', 'unknown'],
    ['', 'unknown'],
    ['@_user_1', 'unknown'],
    ['/readsbm_abc', 'unknown'],
    ['reads bm_abc', 'unknown'],
  ])('answers %j with help (%s)', (text, reason) => {
    expect(parseCommand(text)).toEqual({ kind: 'help', reason });
  });
});

describe('isValidBatchId', () => {
  it('accepts up to 64 characters and no more', () => {
    expect(isValidBatchId(`bm_${'a'.repeat(61)}`)).toBe(true);
    expect(isValidBatchId(`bm_${'a'.repeat(62)}`)).toBe(false);
  });
});
