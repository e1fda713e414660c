/**
 * parseCommand against a model of its own, written here: commands are
 * generated together with what they must parse to, from how they were built
 * (which ids are valid is known by construction, never asked of the parser).
 * Most samples are commands people would type, dressed in the noise chats add.
 */
import fc from 'fast-check';
import { parseCommand } from '../../src/parse/parse.js';
import type { Command } from '../../src/domain/command.js';

/** What Feishu issues (its docs write `bm-…` and `bm_…`), written out here rather than taken from the parser. */
const FEISHU_ID = /^bm[-_][A-Za-z0-9_-]{1,61}$/;
const KINDS: ReadonlyArray<Command['kind']> = [
  'reads',
  'history',
  'watch',
  'too_many_ids',
  'too_long',
  'invalid_id',
  'invalid_watch',
  'help',
  'stop',
  'did_you_mean',
];
/** What the model's commands parse to: all but the suggestions, which the table in parse.test.ts covers. */
const MODEL_KINDS = KINDS.filter((k) => k !== 'did_you_mean');
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;
const MIN = 60_000;
const HOUR = 60 * MIN;

const ID_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'];
const idBody = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength, maxLength });
const prefix = fc.constantFrom('bm_', 'bm-');
const validId = fc.tuple(prefix, idBody(1, 61)).map(([p, b]) => p + b);

/** ASCII typed with a Chinese input method's full-width forms (＿ for _, － for -). */
const fullWidth = (s: string) => [...s].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');

/** Ways to type an id that still mean exactly that id. */
const typedId = (id: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(id) },
    { weight: 1, arbitrary: fc.constant(fullWidth(id)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            ['"', '"'],
            ['「', '」'],
            ['(', ')'],
            ['<', '>'],
            ['`', '`'],
            ['“', '”'],
            ['（', '）'],
            ['', ''],
          ),
          fc.constantFrom('', ',', '，', '.', '。', ';', ':', '!', '?', '！', '？', '、', '|'),
        )
        .map(([[open, close], after]) => `${open}${id}${close}${after}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 0, max: id.length }), fc.constantFrom('\u200B', '\uFEFF', '\u2060'))
        .map(([at, invisible]) => id.slice(0, at) + invisible + id.slice(at)),
    },
  );

/** Words that are not ids Feishu could have issued; each is its own `given`. */
const invalidId = fc.oneof(
  fc
    .tuple(prefix, idBody(1, 20), fc.constantFrom(...'#$%+=~!?/*&.é中'), idBody(1, 20))
    .map(([p, a, bad, b]) => `${p}${a}${bad}${b}`),
  fc.tuple(prefix, idBody(62, 70)).map(([p, b]) => p + b), // too long
  fc.constantFrom('bm_', 'bm-', 'BM_abc', 'BM-abc', 'om_dc1326452039', 'oc_abcdef123'),
);

type Arg = { valid: true; id: string; typed: string } | { valid: false; given: string };

/** The words a reads command carries: distinct ids, some repeated, in any order, each typed its own way; perhaps invalid words among them. */
const idArgs: fc.Arbitrary<Arg[]> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Arg[]>([]) },
  {
    weight: 12,
    arbitrary: fc
      .tuple(fc.uniqueArray(validId, { minLength: 1, maxLength: 13 }), fc.array(fc.nat(), { maxLength: 3 }))
      .chain(([pool, repeats]) => {
        const ids = [...pool, ...repeats.map((r) => pool[r % pool.length]!)];
        return fc.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length });
      })
      .chain((ids) => fc.tuple(...ids.map((id) => typedId(id).map((typed): Arg => ({ valid: true, id, typed })))))
      .chain((args) =>
        fc.oneof(
          { weight: 4, arbitrary: fc.constant(args) },
          {
            weight: 1,
            arbitrary: fc
              .array(fc.tuple(fc.nat({ max: args.length }), invalidId), { minLength: 1, maxLength: 2 })
              .map((bad) => {
                const out = [...args];
                for (const [at, given] of bad) out.splice(at, 0, { valid: false, given });
                return out;
              }),
          },
        ),
      ),
  },
);

/** History and watch take one id: mostly one (perhaps typed twice), sometimes a list like any other. */
const modeArgs: fc.Arbitrary<Arg[]> = fc.oneof(
  {
    weight: 4,
    arbitrary: validId.chain((id) =>
      fc.array(
        typedId(id).map((typed): Arg => ({ valid: true, id, typed })),
        { minLength: 1, maxLength: 2 },
      ),
    ),
  },
  { weight: 1, arbitrary: idArgs },
);

type Outcome = Extract<Command, { kind: 'watch' }> | Extract<Command, { kind: 'invalid_watch' }>;
type WatchCase = { options: string[]; outcome: (batchId: string, options: string[]) => Outcome };
const watching = (durationMs: number, intervalMs: number) => (batchId: string) =>
  ({ kind: 'watch', batchId, durationMs, intervalMs }) as const;
/** `given`: the option, as typed, that is not a duration. */
const refused =
  (problem: Extract<Command, { kind: 'invalid_watch' }>['problem'], given?: number) => (_: string, options: string[]) =>
    ({ kind: 'invalid_watch', problem, ...(given === undefined ? {} : { given: options[given] }) }) as const;
const WATCH_CASES: WatchCase[] = [
  { options: [], outcome: watching(2 * HOUR, 5 * MIN) },
  { options: ['30m'], outcome: watching(30 * MIN, 5 * MIN) },
  { options: ['1h', 'every', '10m'], outcome: watching(HOUR, 10 * MIN) },
  { options: ['1h30m', '15min'], outcome: watching(90 * MIN, 15 * MIN) },
  { options: ['2小时', '每', '10分钟'], outcome: watching(2 * HOUR, 10 * MIN) },
  { options: ['24h', 'each', '1m'], outcome: watching(24 * HOUR, MIN) },
  { options: ['25h'], outcome: refused('too_long') },
  { options: ['10m', 'every', '20m'], outcome: refused('interval_too_long') },
  { options: ['2', 'hours'], outcome: watching(2 * HOUR, 5 * MIN) },
  { options: ['每10分钟', '2小时'], outcome: watching(2 * HOUR, 10 * MIN) },
  { options: ['每隔', '10', '分钟'], outcome: watching(2 * HOUR, 10 * MIN) },
  { options: ['every', '10', 'minutes', '90', 'min'], outcome: watching(90 * MIN, 10 * MIN) },
  { options: ['3m'], outcome: watching(3 * MIN, 3 * MIN) },
  { options: ['2h', 'every', '30s'], outcome: refused('interval_too_short') },
  { options: ['forever'], outcome: refused('bad_duration', 0) },
  { options: ['2h', 'every'], outcome: refused('bad_duration', 1) },
  { options: ['0m'], outcome: refused('too_short') },
  { options: ['30', 'seconds'], outcome: refused('too_short') },
];

type Mode =
  { kind: 'none' } | { kind: 'history' | 'stop'; word: string } | { kind: 'watch'; word: string; watch: WatchCase };
const mode: fc.Arbitrary<Mode> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('history', 'HISTORY', '历史').map((word) => ({ kind: 'history' as const, word })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('stop', 'STOP', '停止', '取消').map((word) => ({ kind: 'stop' as const, word })),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom('watch', 'Watch', '监控', '关注'), fc.constantFrom(...WATCH_CASES), fc.boolean())
      .map(([word, watch, upper]) => ({
        kind: 'watch' as const,
        word,
        // Options may be typed in capitals; the parser reads them in lower case (and echoes them as typed).
        watch: upper ? { ...watch, options: watch.options.map((o) => o.toUpperCase()) } : watch,
      })),
  },
);

type Head = { kind: 'reads' | 'asked' | 'unknown'; word: string };
const head: fc.Arbitrary<Head> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .constantFrom(
        '/reads',
        '/READS',
        '/Reads',
        '／reads',
        '／ＲＥＡＤＳ',
        '/read',
        'reads',
        'READ',
        '/reads:',
        '/reads：',
      )
      .map((word) => ({ kind: 'reads' as const, word })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('/help', '/HELP', '／help').map((word) => ({ kind: 'asked' as const, word })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('/readz', 'hello', '/reads_', '?', '谢谢', 'please')
      .map((word) => ({ kind: 'unknown' as const, word })),
  },
);

const separator = fc.constantFrom(
  ...[' ', '  ', '\t', '\u3000', '\n', '\r\n', '\u00a0', ' @_user_2 ', ' @_all '],
  ...[',', '，', '、', ';', '；', '|', '｜', ', ', ' 、'],
);

/** What the model says `parts` must parse to, from how they were made. */
function expected(text: string, h: Head, args: Arg[], m: Mode): Command {
  if (text.length > 2000) return { kind: 'too_long', length: text.length };
  if (h.kind === 'asked') return { kind: 'help', reason: 'asked' };
  if (h.kind === 'unknown') return { kind: 'help', reason: 'unknown' };
  if (args.length === 0) return { kind: 'help', reason: 'missing_id' };
  const invalid = args.find((a) => !a.valid);
  if (invalid) return { kind: 'invalid_id', given: invalid.given };
  const unique: string[] = [];
  for (const a of args) if (a.valid && !unique.includes(a.id)) unique.push(a.id);
  if (m.kind !== 'none' && unique.length > 1) return { kind: 'help', reason: 'one_id_for_history_or_watch' };
  if (m.kind === 'history' || m.kind === 'stop') return { kind: m.kind, batchId: unique[0]! };
  if (m.kind === 'watch') return m.watch.outcome(unique[0]!, m.watch.options);
  if (unique.length > 10) return { kind: 'too_many_ids', count: unique.length };
  return { kind: 'reads', batchIds: unique };
}

/** A command as typed, and what it must parse to. */
const sample: fc.Arbitrary<{ text: string; expected: Command }> = fc
  .tuple(
    fc.array(fc.constantFrom('@_user_1', '@_user_12', '@_all'), { maxLength: 2 }),
    head,
    mode.chain((m) => fc.tuple(fc.constant(m), m.kind === 'none' ? idArgs : modeArgs)),
    fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2500 }) }),
  )
  .chain(([mentions, h, generated, padding]) => {
    // Help, and what is not a command at all, are asked alone.
    const [m, args]: [Mode, Arg[]] = h.kind === 'reads' ? generated : [{ kind: 'none' }, []];
    const words = [
      ...mentions,
      h.word,
      ...args.map((a) => (a.valid ? a.typed : a.given)),
      ...(m.kind === 'none' ? [] : [m.word]),
      ...(m.kind === 'watch' ? m.watch.options : []),
    ];
    return fc.array(separator, { minLength: words.length + 1, maxLength: words.length + 1 }).map((seps) => {
      const text = seps[0] + words.map((w, i) => w + seps[i + 1]!).join('') + ' '.repeat(padding);
      return { text, expected: expected(text, h, args, m) };
    });
  });

const idsIn = (c: Command): string[] =>
  c.kind === 'reads' ? c.batchIds : c.kind === 'history' || c.kind === 'watch' || c.kind === 'stop' ? [c.batchId] : [];

describe('parseCommand, against a model written here', () => {
  it('parses every generated command to what the model says, and the samples reach every kind', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(sample, ({ text, expected }) => {
        expect(parseCommand(text)).toEqual(expected);
        seen.set(expected.kind, (seen.get(expected.kind) ?? 0) + 1);
      }),
      { numRuns: 3000 },
    );
    // The model is only worth what it reaches: every kind the parser can answer, and mostly commands that run.
    expect([...seen.keys()].sort()).toEqual([...MODEL_KINDS].sort());
    expect((seen.get('reads') ?? 0) + (seen.get('history') ?? 0) + (seen.get('watch') ?? 0)).toBeGreaterThan(1000);
  });

  it('on any input, with or without a command in it: a known kind, too_long exactly when over 2,000 characters, and only ids that were typed and that Feishu could have issued', () => {
    const splice = fc.tuple(sample, fc.string({ unit: 'binary', maxLength: 20 }), fc.nat()).map(([s, noise, at]) => {
      const i = at % (s.text.length + 1);
      return s.text.slice(0, i) + noise + s.text.slice(i);
    });
    let withIds = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 2, arbitrary: sample.map((s) => s.text) },
          { weight: 2, arbitrary: splice },
          { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
        ),
        (text) => {
          const c = parseCommand(text);
          expect(KINDS).toContain(c.kind);
          expect(c.kind === 'too_long').toBe(text.length > 2000);
          const ids = idsIn(c);
          const typed = text.normalize('NFKC').replace(INVISIBLE, '');
          expect(ids.filter((id) => !FEISHU_ID.test(id) || !typed.includes(id))).toEqual([]);
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids.length).toBeLessThanOrEqual(10);
          if (ids.length > 0) withIds++;
        },
      ),
      { numRuns: 3000 },
    );
    expect(withIds).toBeGreaterThan(600); // the id checks above ran on many samples, not on none
  });

  it('takes an id with any one character in it exactly when the id is still one Feishu could issue', () => {
    fc.assert(
      fc.property(
        prefix,
        idBody(1, 29),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
        idBody(1, 29),
        (p, a, g, b) => {
          const word = `${p}${a}${g}${b}`;
          const read = word.normalize('NFKC').replace(INVISIBLE, ''); // full-width letters become ASCII, as typed
          fc.pre(!/[\s,、;|@]/.test(read)); // separators split the word; @ may start a mention placeholder
          const want: Command = FEISHU_ID.test(read)
            ? { kind: 'reads', batchIds: [read] }
            : { kind: 'invalid_id', given: read };
          expect(parseCommand(`/reads ${word}`)).toEqual(want);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
