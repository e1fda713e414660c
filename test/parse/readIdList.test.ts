/** The query form's id parsing, and the delivery word: what people paste into the form reads as they meant it. */
import { parseCommand, readIdList } from '../../src/parse/parse.js';

const A = 'bm_dc13264520392913993dd051dba21dcf';
const B = 'bm_0b3d5d1b2df7c6d5dbd1abe2c91e2217';

describe('readIdList', () => {
  it.each([
    [`${A} ${B}`],
    [`${A},${B}`],
    [`${A}，${B}`],
    [`${A}；${B}`],
    [`${A};${B}`],
    [`${A}、${B}`],
    [`${A}|${B}`],
    [`${A}\n${B}\n`],
    [`  ${A}\u3000\t${B}  `],
    [`"${A}", "${B}"`],
    [`「${A}」、「${B}」`],
    [`\`${A}\`\n\`${B}\``],
    [`${A}。${B}。`.replace('。', ' ')],
    [`\u200B${A}\uFEFF, ${B}`],
    [`${A}, ${B}, ${A}`],
  ])('reads two ids from %j', (typed) => {
    expect(readIdList(typed)).toEqual({ ids: [A, B], invalid: [] });
  });

  it('reads full-width characters from Chinese input methods', () => {
    expect(readIdList('ｂｍ＿ａｂｃ，ｂｍ＿ｄｅｆ')).toEqual({ ids: ['bm_abc', 'bm_def'], invalid: [] });
  });

  it('returns words that cannot be ids, in the order typed, beside the valid ones', () => {
    expect(readIdList(`${A} hello, bm_ok bm-a#b <x>`)).toEqual({
      ids: [A, 'bm_ok'],
      invalid: ['hello', 'bm-a#b', 'x'],
    });
    expect(readIdList(`bm_${'x'.repeat(62)}`).invalid).toHaveLength(1);
  });

  it('reads nothing from an empty or separator-only input', () => {
    for (const typed of ['', '   ', ',,;；、\n', '""']) expect(readIdList(typed)).toEqual({ ids: [], invalid: [] });
  });

  it('keeps more than ten distinct ids, for the caller to refuse', () => {
    const ids = Array.from({ length: 12 }, (_, i) => `bm_${i}`);
    expect(readIdList(ids.join(',')).ids).toEqual(ids);
  });
});

describe('the delivery word', () => {
  it.each([[`/reads ${A} delivery`], [`/reads ${A} 送达`], [`@_user_1 /reads "${A}" DELIVERY`]])('%j', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'delivery', batchId: A });
  });

  it('takes one id, like history and watch', () => {
    expect(parseCommand(`/reads ${A} ${B} delivery`)).toEqual({ kind: 'help', reason: 'one_id_for_history_or_watch' });
    expect(parseCommand('/reads bm-a#b delivery')).toEqual({ kind: 'invalid_id', given: 'bm-a#b' });
  });
});
