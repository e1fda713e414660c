import { parseCommand, parseDuration, readIdList, splitWords, stripWrapping } from '../../src/commands/parse.js';
import { BATCH_ID_PATTERN, MAX_COMMAND_LENGTH, isValidBatchId } from '../../src/domain/rules.js';

const ID = 'bm_dc13264520392913993dd051dba21dcf';

describe('parseCommand', () => {
  it.each([
    [`/reads ${ID}`],
    [`@_user_1 /reads ${ID}`],
    [`/reads ${ID} @_user_1`],
    [`   /reads     ${ID}   `],
    [`／reads ${ID}`],
    [`/READS ${ID}`],
    [`／ＲＥＡＤＳ\u3000${ID}`],
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

  it('lists several ids once each, in order, up to 10', () => {
    expect(parseCommand('/reads bm_b bm_a bm_b')).toEqual({ kind: 'reads', batchIds: ['bm_b', 'bm_a'] });
    const ten = Array.from({ length: 10 }, (_, i) => `bm_${i}`);
    expect(parseCommand(`/reads ${ten.join(' ')} bm_0`)).toEqual({ kind: 'reads', batchIds: ten });
    expect(parseCommand(`/reads ${ten.join(' ')} bm_x`)).toEqual({ kind: 'too_many_ids', count: 11 });
  });

  it('reads history and watch, with durations and intervals', () => {
    expect(parseCommand('/reads bm_a history')).toEqual({ kind: 'history', batchId: 'bm_a' });
    expect(parseCommand('/reads bm_a 历史')).toEqual({ kind: 'history', batchId: 'bm_a' });
    expect(parseCommand('/reads bm_a watch')).toEqual({
      kind: 'watch',
      batchId: 'bm_a',
      durationMs: 7_200_000,
      intervalMs: 300_000,
    });
    expect(parseCommand('/reads bm_a WATCH 30m every 1m')).toEqual({
      kind: 'watch',
      batchId: 'bm_a',
      durationMs: 1_800_000,
      intervalMs: 60_000,
    });
    expect(parseCommand('/reads bm_a watch 1h30m 10m')).toEqual({
      kind: 'watch',
      batchId: 'bm_a',
      durationMs: 5_400_000,
      intervalMs: 600_000,
    });
    expect(parseCommand('/reads bm_a 监控 2小时 每 10分钟')).toEqual({
      kind: 'watch',
      batchId: 'bm_a',
      durationMs: 7_200_000,
      intervalMs: 600_000,
    });
    expect(parseCommand('/reads bm_a watch 24h')).toMatchObject({ kind: 'watch', durationMs: 86_400_000 });
  });

  it.each([
    ['/reads bm_a watch 25h', 'too_long'],
    ['/reads bm_a watch 2h every 30s', 'bad_duration'],
    ['/reads bm_a watch 2h every 0m', 'bad_duration'],
    ['/reads bm_a watch forever', 'bad_duration'],
    ['/reads bm_a watch 10m every 20m', 'interval_too_long'],
    ['/reads bm_a watch 2h every', 'bad_duration'],
  ])('refuses %j (%s)', (text, problem) => {
    expect(parseCommand(text)).toMatchObject({ kind: 'invalid_watch', problem });
  });

  it('takes one id for history and watch', () => {
    expect(parseCommand('/reads bm_a bm_b history')).toEqual({ kind: 'help', reason: 'one_id_for_history_or_watch' });
    expect(parseCommand('/reads history')).toEqual({ kind: 'help', reason: 'missing_id' });
  });

  it.each([
    ['/reads om_dc13264520392913993dd051dba21dcf', 'om_dc13264520392913993dd051dba21dcf'],
    ['/reads bm_', 'bm_'],
    ['/reads bm_ab!c', 'bm_ab!c'],
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

describe('readIdList', () => {
  it.each([
    ['bm_a,bm_b', ['bm_a', 'bm_b']],
    ['bm_a，bm_b、bm_c；bm_d;bm_e|bm_f｜bm_g', ['bm_a', 'bm_b', 'bm_c', 'bm_d', 'bm_e', 'bm_f', 'bm_g']],
    ['bm_a\nbm_b\r\n\n bm_c', ['bm_a', 'bm_b', 'bm_c']],
    ['"bm_a"! bm_b? bm_c！ bm_d？ bm_e. bm_f。', ['bm_a', 'bm_b', 'bm_c', 'bm_d', 'bm_e', 'bm_f']],
    ['bm_a, bm_a ,bm_b', ['bm_a', 'bm_b']],
    ['', []],
  ])('reads %j as the ids %j', (text, ids) => {
    expect(readIdList(text)).toEqual({ ids, invalid: [] });
  });

  it('keeps the words that are not ids, as typed', () => {
    expect(readIdList('bm_a, om_x；bm_, bm_b')).toEqual({ ids: ['bm_a', 'bm_b'], invalid: ['om_x', 'bm_'] });
  });
});

describe('isValidBatchId', () => {
  it('accepts up to 64 characters and no more', () => {
    expect(isValidBatchId(`bm_${'a'.repeat(61)}`)).toBe(true);
    expect(isValidBatchId(`bm_${'a'.repeat(62)}`)).toBe(false);
  });
});

describe('long and hostile texts', () => {
  it('refuses a text longer than a command can be, before reading it', () => {
    const text = `/reads ${ID} ${'.'.repeat(MAX_COMMAND_LENGTH)}`;
    expect(parseCommand(text)).toEqual({ kind: 'too_long', length: text.length });
    expect(parseCommand(`/reads ${ID}`.padEnd(MAX_COMMAND_LENGTH, ' '))).toEqual({ kind: 'reads', batchIds: [ID] });
  });

  it('strips wrapping only at the ends of a word', () => {
    expect(stripWrapping('「bm_a」，')).toBe('bm_a');
    expect(stripWrapping('"(bm_a.b)".;:')).toBe('bm_a.b');
    expect(stripWrapping('.bm_a')).toBe('.bm_a'); // punctuation is trailing only
    expect(stripWrapping('...')).toBe('');
    expect(parseCommand(`/reads ${ID}${'.'.repeat(500)}x`)).toEqual({
      kind: 'invalid_id',
      given: `${ID}${'.'.repeat(500)}x`,
    });
  });

  // Every regex and loop that sees user text, fed 1 MB of each character it repeats. Linear work takes
  // milliseconds; the quadratic backtracking these guard against took minutes on 1 MB. The bound is 100x+.
  const MB = 1 << 20;
  const within = (ms: number, run: () => unknown) => {
    const started = performance.now();
    run();
    expect(performance.now() - started).toBeLessThan(ms);
  };
  it.each([...'.,，。;；:："\'`“”‘’<>()[]{}「」『』《》（）', 'a'])('stays linear on 1 MB of %j inside a word', (c) => {
    within(1000, () => stripWrapping(`x${c.repeat(MB)}x`));
    within(1000, () => stripWrapping(c.repeat(MB)));
  });
  it.each([' ', '　', '​', '@_', '@_user_1', '@_user_', '1', 'bm_'])('splits 1 MB of %j in linear time', (c) => {
    within(1000, () => splitWords(`/reads ${c.repeat(MB / c.length)}x`));
  });
  it.each(['1', 'h', '1h', '1m', 'min'])('reads 1 MB of %j as no duration, in linear time', (c) => {
    within(1000, () => expect(parseDuration(`${c.repeat(MB / c.length)}!`)).toBeUndefined());
  });
  it('checks 1 MB id-like words in linear time', () => {
    within(1000, () => expect(BATCH_ID_PATTERN.test(`bm_${'a'.repeat(MB)}!`)).toBe(false));
    within(1000, () => expect(isValidBatchId(`bm_${'a'.repeat(MB)}`)).toBe(false));
    within(1000, () => expect(parseCommand(`/reads ${'.'.repeat(MB)}x`)).toMatchObject({ kind: 'too_long' }));
  });
});
