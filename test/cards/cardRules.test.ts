/**
 * Every card the bot sends, checked against what the official Card JSON 2.0
 * pages say (test/support/cardRules.ts names the page beside each rule):
 * documented properties and values only, no markdown table over 5 rows
 * (Feishu pages it), no <at> but in the watch-ended notice, at most 30 KB
 * and 200 elements.
 */
import type { Card } from '../../src/cards/card.js';
import { buildDeliveryCard } from '../../src/cards/deliveryCard.js';
import { buildErrorCard } from '../../src/cards/errorCard.js';
import {
  buildHelpCard,
  buildInvalidIdCard,
  buildInvalidWatchCard,
  buildTooLongCard,
  buildTooManyIdsCard,
  buildWatchRefusedCard,
} from '../../src/cards/helpCard.js';
import { buildHistoryCard } from '../../src/cards/historyCard.js';
import { withLateNote } from '../../src/cards/lateNote.js';
import { buildMultiReadsCard } from '../../src/cards/multiReadsCard.js';
import { buildQueryFormCard } from '../../src/cards/queryFormCard.js';
import { buildReadsCard } from '../../src/cards/readsCard.js';
import {
  buildAccessDeniedCard,
  buildBusyCard,
  buildChatBusyCard,
  buildSlowDownCard,
} from '../../src/cards/refusalCards.js';
import { buildWatchEndedNotice } from '../../src/cards/watchEndedNotice.js';
import type { HelpReason, WatchProblem } from '../../src/domain/command.js';
import { BotError } from '../../src/domain/errors.js';
import type { Snapshot, Watch, WatchEnd, WatchRefusal } from '../../src/domain/types.js';
import { knownFeishuCodes } from '../../src/feishu/errorCatalogue.js';
import { cardRuleViolations, markdownTableRows, RULE_PAGES } from '../support/cardRules.js';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const snap = (readCount: number, takenAt = NOW, totalCount = 300): Snapshot => ({
  batchId: 'bm_rules',
  readCount,
  totalCount,
  takenAt,
});
const series = (n: number) => Array.from({ length: n }, (_, i) => snap(i * 10, NOW - (n - i) * 60_000));
const watch = (endedReason?: WatchEnd): Watch => ({
  id: 'w_1',
  batchId: 'bm_rules',
  chatId: 'oc_1',
  cardMessageId: 'om_1',
  startedBy: 'ou_starter',
  startedAt: NOW - 3_600_000,
  until: NOW + 3_600_000,
  intervalMs: 600_000,
  nextAt: NOW + 600_000,
  ...(endedReason ? { endedReason, endedBy: endedReason === 'failed' ? '230030' : 'ou_boss', endedAt: NOW } : {}),
});
const failing = (i: number) =>
  [
    new BotError('feishu_api', 'x', { feishuCode: 230030 }),
    new BotError('feishu_http', 'x', { httpStatus: 502 }),
    new BotError('timeout', 'x'),
    new BotError('feishu_api', 'unknown <at id=all></at>', { feishuCode: 123456, logId: 'LOG1' }),
  ][i % 4]!;

const CARDS: Array<[string, Card]> = [
  ['single id', buildReadsCard({ snapshot: snap(80), now: NOW }, 'UTC')],
  ['single id, nothing pushed', buildReadsCard({ snapshot: snap(0, NOW, 0), now: NOW }, 'UTC')],
  ['single id, all read', buildReadsCard({ snapshot: snap(300), now: NOW }, 'UTC')],
  [
    'single id refreshed, with history and a change',
    buildReadsCard(
      { snapshot: snap(80), earlier: series(30), since: snap(46, NOW - 60_000), refreshedBy: 'ou_a', now: NOW },
      'UTC',
    ),
  ],
  ['single id with a month of history', buildReadsCard({ snapshot: snap(80), earlier: series(3000), now: NOW }, 'UTC')],
  ...Array.from({ length: 10 }, (_, k): [string, Card] => [
    `multi-id, ${k + 1} ids`,
    buildMultiReadsCard(
      Array.from({ length: k + 1 }, (_, i) => ({
        batchId: `bm_${i}_${'x'.repeat(50)}`,
        result: i % 3 === 2 ? failing(i) : { readCount: i * 1234, totalCount: 99_999 },
      })),
      NOW,
      k % 2 ? 'ou_presser' : undefined,
    ),
  ]),
  [
    'multi-id, 10 ids all failing',
    buildMultiReadsCard(
      Array.from({ length: 10 }, (_, i) => ({ batchId: `bm_${i}`, result: failing(i) })),
      NOW,
    ),
  ],
  ['history, 1 snapshot', buildHistoryCard('bm_rules', series(1), NOW, 'UTC')],
  ['history, 2 snapshots', buildHistoryCard('bm_rules', series(2), NOW, 'UTC')],
  ['history, 30 snapshots', buildHistoryCard('bm_rules', series(30), NOW, 'UTC')],
  ['history, 3000 snapshots', buildHistoryCard('bm_rules', series(3000), NOW, 'UTC')],
  ...([undefined, 'all_read', 'time_up', 'stopped', 'failed'] as const).map((end): [string, Card] => [
    `watch ${end ?? 'running'}`,
    buildReadsCard({ snapshot: snap(80), earlier: series(5), since: series(5)[4], watch: watch(end), now: NOW }, 'UTC'),
  ]),
  ...(['asked', 'missing_id', 'unknown', 'one_id_for_history_or_watch'] satisfies HelpReason[]).map(
    (r): [string, Card] => [`help, ${r}`, buildHelpCard(r)],
  ),
  ['invalid id', buildInvalidIdCard('bm_<at id=all></at>|a|\n|--|')],
  ['too many ids', buildTooManyIdsCard(11)],
  ['too long', buildTooLongCard(5000)],
  ...(['bad_duration', 'too_long', 'interval_too_short', 'interval_too_long'] satisfies WatchProblem[]).map(
    (p): [string, Card] => [`invalid watch, ${p}`, buildInvalidWatchCard(p, 'watch 0m')],
  ),
  ...(['already_watched', 'too_many_in_chat', 'too_many_for_person', 'too_many'] satisfies WatchRefusal[]).map(
    (r): [string, Card] => [`watch refused, ${r}`, buildWatchRefusedCard(r)],
  ),
  ['busy', buildBusyCard(5_000)],
  ['chat busy', buildChatBusyCard(12, 5_000)],
  ['slow down', buildSlowDownCard(10, 30_000)],
  ...(['not_on_allowlist', 'not_group_admin', 'check_failed'] as const).map((r): [string, Card] => [
    `access denied, ${r}`,
    buildAccessDeniedCard(r, new BotError('network', 'x')),
  ]),
  ...knownFeishuCodes().map((code): [string, Card] => [
    `error ${code}`,
    buildErrorCard('bm_rules', new BotError('feishu_api', 'x', { feishuCode: code, logId: 'L1' }), NOW),
  ]),
  ...(['timeout', 'network', 'bad_response', 'internal', 'cancelled'] as const).map((code): [string, Card] => [
    `error ${code}`,
    buildErrorCard('bm_rules', new BotError(code, 'x'), NOW),
  ]),
  ['error HTTP 502', buildErrorCard('bm_rules', new BotError('feishu_http', 'x', { httpStatus: 502 }), NOW)],
  ['query form', buildQueryFormCard()],
  ...[undefined, NOW - 60_000].map((previousAt): [string, Card] => [
    `delivery funnel${previousAt ? ', refreshed' : ''}`,
    buildDeliveryCard({
      progress: {
        batchId: 'bm_rules',
        validCount: 124,
        deliveredCount: 120,
        readCount: 37,
        recalled: false,
        recallCount: 0,
        takenAt: NOW,
      },
      ...(previousAt
        ? {
            previous: {
              batchId: 'bm_rules',
              validCount: 124,
              deliveredCount: 100,
              readCount: 20,
              recalled: true,
              recallCount: 3,
              takenAt: previousAt,
            },
            refreshedBy: 'ou_a',
          }
        : {}),
    }),
  ]),
  [
    'late answer',
    withLateNote(buildReadsCard({ snapshot: snap(80), now: NOW }, 'UTC'), {
      from: NOW - 60_000,
      to: NOW,
      takenAt: NOW,
    }),
  ],
];

describe('every card keeps the documented Card JSON 2.0 rules', () => {
  it.each(CARDS)('%s', (_name, card) => {
    expect(cardRuleViolations(card)).toEqual([]);
  });

  it.each((['all_read', 'failed'] as const).map((end) => [end]))(
    'the watch-ended notice (%s) is the one card that mentions: its starter, once',
    (end) => {
      const notice = buildWatchEndedNotice({ ...watch(end), endedReason: end });
      expect(cardRuleViolations(notice, { mayMention: true })).toEqual([]);
      expect(JSON.stringify(notice).match(/<at id=ou_starter><\/at>/g)).toHaveLength(3); // content, zh_cn, en_us
      expect(new Set(cardRuleViolations(notice))).toEqual(
        new Set([`${RULE_PAGES.richText}: <at> notifies: use <person> (at body[0] markdown)`]),
      );
    },
  );
});

describe('the rules catch what they are written for', () => {
  const base = (elements: unknown[], extra: object = {}) => ({
    schema: '2.0',
    config: { update_multi: true },
    header: { title: { tag: 'plain_text', content: 't' }, template: 'blue' },
    body: { elements },
    ...extra,
  });
  const md = (content: string) => ({ tag: 'markdown', content });
  const tableEl = (over: object = {}) => ({
    tag: 'table',
    page_size: 5,
    columns: [{ name: 'n', display_name: 'N', data_type: 'number', format: { precision: 0, separator: true } }],
    rows: [{ n: 1 }],
    ...over,
  });

  it.each<[string, unknown, string]>([
    ['a 6-row markdown table', base([md(['|a|', '|--|', ...Array(6).fill('|x|')].join('\n'))]), 'pages after 5'],
    ['an @mention', base([md('hi <at id=ou_x></at>')]), '<at> notifies'],
    ['an unknown property', base([{ tag: 'markdown', content: 'x', colour: 'red' }]), 'unknown property colour'],
    ['an undocumented enum value', base([{ tag: 'markdown', content: 'x', text_size: 'huge' }]), 'text_size "huge"'],
    ['an unknown component', base([{ tag: 'carousel' }]), 'component carousel'],
    ['a bad template', { ...base([]), header: { template: 'pink' } }, 'template pink'],
    ['schema 1.0', { ...base([]), schema: '1.0' }, 'schema must be "2.0"'],
    ['an unknown card property', base([], { i18n_elements: {} }), 'unknown card property i18n_elements'],
    [
      'an unknown config property',
      { ...base([]), config: { update_multi: true, wide: 1 } },
      'unknown config property wide',
    ],
    ['update_multi false', { ...base([]), config: { update_multi: false } }, 'update_multi must be true'],
    ['a page_size of 11', base([tableEl({ page_size: 11 })]), 'page_size 11 not in [1, 10]'],
    [
      'a nested table',
      base([{ tag: 'column_set', columns: [{ tag: 'column', elements: [tableEl()] }] }]),
      'may not be nested',
    ],
    ['six tables', base(Array.from({ length: 6 }, () => tableEl())), '6 tables, over 5'],
    [
      'a precision of 11',
      base([tableEl({ columns: [{ name: 'n', data_type: 'number', format: { precision: 11 } }] })]),
      'precision 11',
    ],
    [
      'a format on a text column',
      base([tableEl({ columns: [{ name: 'n', data_type: 'text', format: {} }] })]),
      'format is for number',
    ],
    [
      'an unknown format key',
      base([tableEl({ columns: [{ name: 'n', data_type: 'number', format: { unit: '%' } }] })]),
      'unknown format unit',
    ],
    [
      'a date_format on a number column',
      base([tableEl({ columns: [{ name: 'n', data_type: 'number', date_format: 'YYYY' }] })]),
      'date_format is for date',
    ],
    [
      'a bad date_format',
      base([tableEl({ columns: [{ name: 'n', data_type: 'date', date_format: 'yyyy/M' }], rows: [] })]),
      'date_format yyyy/M',
    ],
    ['a text in a number cell', base([tableEl({ rows: [{ n: '1' }] })]), 'should be a number'],
    [
      'an i18n column name',
      base([tableEl({ columns: [{ name: 'n', data_type: 'text', display_name: { zh: 'x' } }] })]),
      'display_name is a string',
    ],
    ['a nameless column', base([tableEl({ columns: [{ data_type: 'text' }] })]), 'needs a name'],
    [
      'fifty-one columns',
      base([
        tableEl({ columns: Array.from({ length: 51 }, (_, i) => ({ name: `c${i}`, data_type: 'text' })), rows: [] }),
      ]),
      'over 50 columns',
    ],
    ['a bad header style', base([tableEl({ header_style: { background_style: 'blue' } })]), 'background_style "blue"'],
    ['unsupported HTML', base([md('<div>x</div>')]), '<div> is not supported'],
    [
      'a person in a font',
      base([md("<font color='grey'><person id='ou_x' style='capsule'></person></font>")]),
      '<person> inside <font>',
    ],
    ['a person style', base([md("<person id='ou_x' style='round'></person>")]), 'person style'],
    [
      'a local_datetime without time',
      base([md("<local_datetime format_type='time'></local_datetime>")]),
      'without a millisecond',
    ],
    [
      'a local_datetime format',
      base([md("<local_datetime millisecond='1' format_type='hour'></local_datetime>")]),
      'format_type hour',
    ],
    ['a callback without a value', base([{ tag: 'button', behaviors: [{ type: 'callback' }] }]), 'needs a value'],
    ['201 elements', base(Array.from({ length: 201 }, () => ({ tag: 'hr' }))), '201 elements, over 200'],
    ['over 30 KB', base([md('x'.repeat(31 * 1024))]), 'over 30 KB'],
  ])('%s', (_name, card, broken) => {
    const found = cardRuleViolations(card);
    expect(found.some((v) => v.includes(broken))).toBe(true);
    // Each names the page it comes from.
    for (const v of found) expect(Object.values(RULE_PAGES).some((page) => v.startsWith(`${page}: `))).toBe(true);
  });

  it('counts the data rows of each markdown table', () => {
    expect(markdownTableRows('intro\n| a | b |\n| :-- | --: |\n| 1 | 2 |\n| 3 | 4 |\n\n|x|\n|-|\n|y|')).toEqual([2, 1]);
    expect(markdownTableRows('no | table here')).toEqual([]);
  });
});
