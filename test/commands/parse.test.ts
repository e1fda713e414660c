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

  it('lists several ids once each, in order, up to 10', () => {
    expect(parseCommand('/reads bm_b bm_a bm_b')).toEqual({ kind: 'reads', batchIds: ['bm_b', 'bm_a'] });
    const ten = Array.from({ length: 10 }, (_, i) => `bm_${i}`);
    expect(parseCommand(`/reads ${ten.join(' ')} bm_0`)).toEqual({ kind: 'reads', batchIds: ten });
    expect(parseCommand(`/reads ${ten.join(' ')} bm_x`)).toEqual({ kind: 'too_many_ids', count: 11 });
  });

  it('reads history and watch, with durations and intervals', () => {
    expect(parseCommand('/reads bm_a history')).toEqual({ kind: 'history', batchId: 'bm_a' });
    expect(parseCommand('/reads bm_a 历史')).toEqual({ kind: 'history', batchId: 'bm_a' });
    expect(parseCommand('/reads bm_a watch')).toEqual({ kind: 'watch', batchId: 'bm_a', durationMs: 7_200_000, intervalMs: 300_000 });
    expect(parseCommand('/reads bm_a WATCH 30m every 1m')).toEqual({ kind: 'watch', batchId: 'bm_a', durationMs: 1_800_000, intervalMs: 60_000 });
    expect(parseCommand('/reads bm_a watch 1h30m 10m')).toEqual({ kind: 'watch', batchId: 'bm_a', durationMs: 5_400_000, intervalMs: 600_000 });
    expect(parseCommand('/reads bm_a 监控 2小时 每 10分钟')).toEqual({ kind: 'watch', batchId: 'bm_a', durationMs: 7_200_000, intervalMs: 600_000 });
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
