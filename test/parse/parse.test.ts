import { parseDuration, parseNumber } from '../../src/parse/durations.js';
import { MAX_WORD_LENGTH, readTokens } from '../../src/parse/words.js';
import { parseCommand, readIdList, splitWords, stripWrapping } from '../../src/parse/parse.js';
import type { Command } from '../../src/domain/command.js';
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
    ['/reads bm_a watch 2h every 30s', 'interval_too_short'],
    ['/reads bm_a watch 2h every 0m', 'interval_too_short'],
    ['/reads bm_a watch 0m', 'too_short'],
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
    ['/readz', 'unknown'],
    ['谢谢', 'unknown'],
  ])('answers %j with help (%s)', (text, reason) => {
    expect(parseCommand(text)).toEqual({ kind: 'help', reason });
  });
});

const watch = (durationMs: number, intervalMs: number, batchId = 'bm_x'): Command => ({
  kind: 'watch',
  batchId,
  durationMs,
  intervalMs,
});
const MIN = 60_000;
const HOUR = 60 * MIN;
const P = 'bm_demo_partly_read';

// Every input of issue 17, and what it must mean.
describe('what people actually type (issue 17)', () => {
  it.each<[string, Command]>([
    // Ids wherever people put them.
    [P, { kind: 'reads', batchIds: [P] }],
    [`帮我查一下 ${P} 的阅读数`, { kind: 'reads', batchIds: [P] }],
    [`帮我查一下${P}的阅读数`, { kind: 'reads', batchIds: [P] }],
    [`please check ${P} for me`, { kind: 'reads', batchIds: [P] }],
    [`\`${P}\``, { kind: 'reads', batchIds: [P] }],
    [`\`\`\`\n${P}\n\`\`\``, { kind: 'reads', batchIds: [P] }],
    // Near-miss commands.
    [`reads ${P}`, { kind: 'reads', batchIds: [P] }],
    [`/read ${P}`, { kind: 'reads', batchIds: [P] }],
    [`/reads: ${P}`, { kind: 'reads', batchIds: [P] }],
    [`/reads：${P}`, { kind: 'reads', batchIds: [P] }],
    [`/readsbm_x`, { kind: 'reads', batchIds: ['bm_x'] }],
    ['/history bm_x', { kind: 'history', batchId: 'bm_x' }],
    ['/watch bm_x', watch(2 * HOUR, 5 * MIN)],
    ['/reads history bm_x', { kind: 'history', batchId: 'bm_x' }],
    ['bm_x 历史', { kind: 'history', batchId: 'bm_x' }],
    // Separators.
    ['/reads bm_a,bm_b', { kind: 'reads', batchIds: ['bm_a', 'bm_b'] }],
    ['/reads bm_a、bm_b', { kind: 'reads', batchIds: ['bm_a', 'bm_b'] }],
    ['/reads bm_a，bm_b', { kind: 'reads', batchIds: ['bm_a', 'bm_b'] }],
    ['/reads bm_a;bm_b；bm_c', { kind: 'reads', batchIds: ['bm_a', 'bm_b', 'bm_c'] }],
    ['/reads bm_a|bm_b', { kind: 'reads', batchIds: ['bm_a', 'bm_b'] }],
    ['/reads\nbm_a\nbm_b', { kind: 'reads', batchIds: ['bm_a', 'bm_b'] }],
    ['/reads bm_a!', { kind: 'reads', batchIds: ['bm_a'] }],
    ['/reads bm_a?', { kind: 'reads', batchIds: ['bm_a'] }],
    ['/reads bm_a！', { kind: 'reads', batchIds: ['bm_a'] }],
    ['/reads bm_a？', { kind: 'reads', batchIds: ['bm_a'] }],
    ['/reads bm_a.', { kind: 'reads', batchIds: ['bm_a'] }],
    ['/reads bm_a。', { kind: 'reads', batchIds: ['bm_a'] }],
    // Durations as people write them.
    ['/reads bm_x 监控 2小时 每10分钟', watch(2 * HOUR, 10 * MIN)],
    ['/reads bm_x 监控 2小时 每隔 10分钟', watch(2 * HOUR, 10 * MIN)],
    ['/reads bm_x 监控 每隔 10 分钟', watch(2 * HOUR, 10 * MIN)],
    ['/reads bm_x 监控2小时', watch(2 * HOUR, 5 * MIN)],
    ['/reads bm_x watch 2 hours', watch(2 * HOUR, 5 * MIN)],
    ['/reads bm_x watch 2h', watch(2 * HOUR, 5 * MIN)],
    ['/reads bm_x watch 90 min', watch(90 * MIN, 5 * MIN)],
    ['/reads bm_x watch 1h30m', watch(90 * MIN, 5 * MIN)],
    ['/reads bm_x watch 1.5h', watch(90 * MIN, 5 * MIN)],
    ['/reads bm_x watch every 10 minutes', watch(2 * HOUR, 10 * MIN)],
    ['/reads bm_x watch 3m', watch(3 * MIN, 3 * MIN)],
    ['监控bm_x两个小时', watch(2 * HOUR, 5 * MIN)],
    ['每10分钟 监控 bm_x 半小时', watch(30 * MIN, 10 * MIN)],
    ['please watch bm_x for 2 hours', watch(2 * HOUR, 5 * MIN)],
    // Refusals that name the real rule.
    ['/reads bm_x watch 0m', { kind: 'invalid_watch', problem: 'too_short' }],
    ['/reads bm_x watch 30s', { kind: 'invalid_watch', problem: 'too_short' }],
    ['/reads bm_x watch 25h', { kind: 'invalid_watch', problem: 'too_long' }],
    ['/reads bm_x watch 2d', { kind: 'invalid_watch', problem: 'too_long' }],
    ['/reads bm_x watch every 30s', { kind: 'invalid_watch', problem: 'interval_too_short' }],
    ['/reads bm_x watch 10m every 20m', { kind: 'invalid_watch', problem: 'interval_too_long' }],
    ['/reads bm_x watch 2h 10m 5m', { kind: 'invalid_watch', problem: 'bad_duration', given: '5m' }],
    ['/reads bm_x watch 2', { kind: 'invalid_watch', problem: 'bad_duration', given: '2' }],
    ['/reads bm_x watch forever', { kind: 'invalid_watch', problem: 'bad_duration', given: 'forever' }],
    // Words in any order; courtesy ignored.
    ['/reads bm_x stop', { kind: 'stop', batchId: 'bm_x' }],
    ['/reads stop bm_x', { kind: 'stop', batchId: 'bm_x' }],
    ['/reads bm_x 停止', { kind: 'stop', batchId: 'bm_x' }],
    ['/reads bm_x 取消', { kind: 'stop', batchId: 'bm_x' }],
    ['停止监控 bm_x', { kind: 'stop', batchId: 'bm_x' }],
    ['/reads bm_x 谢谢', { kind: 'reads', batchIds: ['bm_x'] }],
    ['/reads bm_x please', { kind: 'reads', batchIds: ['bm_x'] }],
    ['谢谢 /reads bm_x history please', { kind: 'history', batchId: 'bm_x' }],
    ['/reads 2h watch bm_x', watch(2 * HOUR, 5 * MIN)],
    // What stays ambiguous: the exact text to send.
    ['/reads bm_x foo', { kind: 'did_you_mean', suggestions: ['/reads bm_x'], unknown: ['foo'] }],
    ['/readz bm_x', { kind: 'did_you_mean', suggestions: ['/reads bm_x'], unknown: ['/readz'] }],
    ['bm_x 2h', { kind: 'did_you_mean', suggestions: ['/reads bm_x watch 2h every 5m'], unknown: [] }],
    ['/reads bm_x history 2h', { kind: 'did_you_mean', suggestions: ['/reads bm_x history'], unknown: ['2h'] }],
    [
      '/reads bm_x history watch',
      { kind: 'did_you_mean', suggestions: ['/reads bm_x history', '/reads bm_x watch'], unknown: [] },
    ],
    ['/reads bm_a bm_b watch', { kind: 'help', reason: 'one_id_for_history_or_watch' }],
    ['/reads bm_a bm_b 2h', { kind: 'help', reason: 'one_id_for_history_or_watch' }],
    // Not an id, said so.
    ['/reads bm_a中b', { kind: 'invalid_id', given: 'bm_a中b' }],
    [
      'bm_x 的 om_dc13264520392913993dd051dba21dcf',
      { kind: 'invalid_id', given: 'om_dc13264520392913993dd051dba21dcf' },
    ],
    ['/reads hello', { kind: 'invalid_id', given: 'hello' }],
    // bm- inside a word is not meant as an id: no invalid-id card for a sentence about an IBM-PC.
    ['我的IBM-PC坏了', { kind: 'help', reason: 'unknown' }],
    ['Please review the IBM-compatible list', { kind: 'help', reason: 'unknown' }],
    ['/reads IBM-PC', { kind: 'invalid_id', given: 'IBM-PC' }],
    ['see the non-bm-related file my_bm_file.txt', { kind: 'help', reason: 'unknown' }],
    // A command written against what is not an id is still told why.
    ['/readsBM_x', { kind: 'invalid_id', given: '/readsBM_x' }],
    ['/historybm-', { kind: 'invalid_id', given: '/historybm-' }],
    ['readsbm_a中b', { kind: 'invalid_id', given: 'readsbm_a中b' }],
    ['(bm-d4be107c616aed9c1da8ed8068570a9f)', { kind: 'reads', batchIds: ['bm-d4be107c616aed9c1da8ed8068570a9f'] }],
    ['/reads 12345', { kind: 'invalid_id', given: '12345' }],
    ['/watch 2h', { kind: 'help', reason: 'missing_id' }],
    ['/reads 谢谢', { kind: 'help', reason: 'missing_id' }],
    ['help', { kind: 'help', reason: 'asked' }],
    ['帮助', { kind: 'help', reason: 'asked' }],
  ])('%j', (text, meaning) => {
    expect(parseCommand(text)).toEqual(meaning);
  });
});

// Feishu's docs write ids both ways (issue 27): batch send answers `bm-…`, the read_user page writes `bm_…`.
describe('ids as Feishu gives them, bm- and bm_', () => {
  const SENT = 'bm-d4be107c616aed9c1da8ed8068570a9f'; // 批量发送消息.md, its response example
  const READ = ID; // 查询批量消息推送和阅读人数.md

  it.each<[string, Command]>([
    [SENT, { kind: 'reads', batchIds: [SENT] }],
    [`/reads ${SENT}`, { kind: 'reads', batchIds: [SENT] }],
    [`@_user_1 /reads ${SENT}`, { kind: 'reads', batchIds: [SENT] }],
    [`帮我查一下${SENT}的阅读数`, { kind: 'reads', batchIds: [SENT] }],
    [`/reads${SENT}`, { kind: 'reads', batchIds: [SENT] }],
    [`/reads "${SENT}"。`, { kind: 'reads', batchIds: [SENT] }],
    [`/reads ${SENT}, ${READ}`, { kind: 'reads', batchIds: [SENT, READ] }],
    [`${SENT} 历史`, { kind: 'history', batchId: SENT }],
    [`/watch ${SENT} 2h`, { kind: 'watch', batchId: SENT, durationMs: 2 * 3_600_000, intervalMs: 300_000 }],
    [`停止监控 ${SENT}`, { kind: 'stop', batchId: SENT }],
    [`/reads ${SENT} 送达`, { kind: 'delivery', batchId: SENT }],
    [`${SENT} 2h`, { kind: 'did_you_mean', suggestions: [`/reads ${SENT} watch 2h every 5m`], unknown: [] }],
  ])('%j', (text, meaning) => {
    expect(parseCommand(text)).toEqual(meaning);
  });

  it('passes each id on as typed: bm-x and bm_x are two ids, never rewritten into each other', () => {
    expect(parseCommand('/reads bm-x bm_x bm-x')).toEqual({ kind: 'reads', batchIds: ['bm-x', 'bm_x'] });
    expect(readIdList('bm-x，bm_x')).toEqual({ ids: ['bm-x', 'bm_x'], invalid: [] });
  });

  it('still refuses what is neither', () => {
    for (const given of ['bm-', 'bm—x', 'bm-a中b', 'bmx-1', `bm-${'a'.repeat(62)}`])
      expect(parseCommand(`/reads ${given}`)).toMatchObject({ kind: 'invalid_id' });
    expect(isValidBatchId(`bm-${'a'.repeat(61)}`)).toBe(true);
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

describe('/send and /sent', () => {
  it('takes the rest of the first line as the recipients and the lines after it as the message, as written', () => {
    expect(parseCommand('/send od-x ou_y @_user_2\nHello，world\nLine two')).toEqual({
      kind: 'send',
      to: ' od-x ou_y @_user_2',
      text: 'Hello，world\nLine two',
    });
    expect(parseCommand('@_user_1 ／ＳＥＮＤ od-x\n通知')).toEqual({ kind: 'send', to: ' od-x', text: '通知' });
    expect(parseCommand('/发送 od-x\n通知')).toEqual({ kind: 'send', to: ' od-x', text: '通知' });
    expect(parseCommand('/send')).toEqual({ kind: 'send', to: '', text: '' });
  });

  it('lists the sends with /sent or /已发送', () => {
    expect(parseCommand('/sent')).toEqual({ kind: 'sent' });
    expect(parseCommand('@_user_1 /已发送')).toEqual({ kind: 'sent' });
  });

  it('is only the command written with its slash at the start', () => {
    expect(parseCommand('send od-x')).toMatchObject({ kind: 'help' });
    expect(parseCommand('please /send od-x')).not.toMatchObject({ kind: 'send' });
    expect(parseCommand('/sender od-x')).not.toMatchObject({ kind: 'send' });
  });

  it('takes a send of hundreds of ids, and refuses one longer than any could be', () => {
    const ids = Array.from({ length: 800 }, (_, i) => `ou_${String(i).padStart(32, '0')}`).join(' ');
    expect(parseCommand(`/send ${ids}\nHi`)).toMatchObject({ kind: 'send', text: 'Hi' });
    expect(parseCommand(`/send ${'x'.repeat(40_000)}`)).toMatchObject({ kind: 'too_long' });
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
  it.each(['1', 'h', '1h', '1m', 'min', '1.', '小时', '1小时', '2分'])(
    'reads 1 MB of %j as no duration, in linear time',
    (c) => {
      within(1000, () => expect(parseDuration(`${c.repeat(MB / c.length)}!`)).toBeUndefined());
      within(1000, () => expect(parseNumber(`${c.repeat(MB / c.length)}`)).toBeUndefined());
    },
  );
  // The tokenizer sees every word of a command: a word too long to be one is not read piece by piece, and words
  // as long as it reads are read in linear time (64 KB of them: a few ms; quadratic work would take seconds).
  const HOSTILE_WORDS = [
    'bm_',
    'bm_a中',
    '中bm_a',
    '中',
    '监控',
    '一',
    '十',
    '每',
    'a',
    '1',
    '1h',
    '/',
    '-',
    '.',
    '!',
    'om_',
  ];
  it.each(HOSTILE_WORDS)('reads words of %j in linear time', (c) => {
    const word = (length: number) => c.repeat(Math.floor(length / c.length));
    within(1000, () => readTokens([word(MB)]));
    const longest = Array.from({ length: (64 * 1024) / MAX_WORD_LENGTH }, () => word(MAX_WORD_LENGTH - 6));
    within(1000, () => readTokens(longest));
    within(1000, () => readTokens(longest.map((w) => `/${w}x`)));
    within(1000, () => readTokens(longest.map((w) => `x${w}bm_a`)));
  });
  it.each([',', '、', '|', ' ', 'bm_a,', 'x!'])('reads a 1 MB list of %j in linear time', (c) => {
    within(1000, () => readIdList(c.repeat(MB / c.length)));
  });
  it('checks 1 MB id-like words in linear time', () => {
    within(1000, () => expect(BATCH_ID_PATTERN.test(`bm_${'a'.repeat(MB)}!`)).toBe(false));
    within(1000, () => expect(isValidBatchId(`bm_${'a'.repeat(MB)}`)).toBe(false));
    within(1000, () => expect(parseCommand(`/reads ${'.'.repeat(MB)}x`)).toMatchObject({ kind: 'too_long' }));
  });
});
