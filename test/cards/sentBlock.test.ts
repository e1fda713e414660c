/** The reads card of a batch message the bot sent: its tracking block (src/cards/sentBlock.ts). */
import { REFUSED_RECIPIENTS } from '../../src/feishu/errorCatalogue.js';
import { buildReadsCard, type ReadsView } from '../../src/cards/readsCard.js';
import type { SentView } from '../../src/cards/sentBlock.js';
import { noRecipients } from '../../src/domain/send.js';
import { buttonValue, cardText, expectValidCard } from '../support/cards.js';
import { bytes, ids, NOW, WELL_UNDER_30_KB } from './sendFixtures.js';

const batchId = 'bm-d4be107c616aed9c1da8ed8068570a9f';
const sentAt = NOW - 3_600_000;
const sentView = (over: Partial<SentView> = {}): SentView => ({
  sendId: 'snd_1',
  by: 'ou_writer',
  at: sentAt,
  recipients: { departments: ['od-sales'], openIds: ['ou_ann'], userIds: [], unionIds: [] },
  ...over,
});
const view = (sent?: SentView): ReadsView => ({
  snapshot: { batchId, readCount: 12, totalCount: 40, takenAt: NOW },
  now: NOW,
  ...(sent ? { sent } : {}),
});
const local = (ms: number) =>
  `<local_datetime millisecond='${ms}' format_type='date_short'></local_datetime> <local_datetime millisecond='${ms}' format_type='time'></local_datetime>`;

describe('a reads card that tracks a send', () => {
  it('says who sent it, when and to whom, and has Recall beside Refresh and Delivery', () => {
    const card = buildReadsCard(view(sentView()), 'UTC');
    expectValidCard(card);
    const en = cardText(card, 'en');
    expect(en).toContain(`📨 Sent through the bot by <person id='ou_writer'`);
    expect(en).toContain(`</person> at ${local(sentAt)}\n**To**\n**Departments (with their sub-departments)** (1)`);
    expect(en).toContain("**People (open id)** (1): <person id='ou_ann'");
    expect(cardText(card, 'zh')).toContain('📨 由 <person');
    expect(cardText(card, 'zh')).toContain(`于 ${local(sentAt)} 通过机器人发出\n**接收人**`);
    expect(en).not.toContain('refused');
    expect(buttonValue(card, 'Recall')).toEqual({ a: 'recall', s: 'snd_1' });
    const labels = [...JSON.stringify(card).matchAll(/"en_us":"(Refresh|Delivery|Recall|Stop watching)"/g)].map(
      (m) => m[1],
    );
    expect(labels).toEqual(['Refresh', 'Delivery', 'Recall']);
    expect(card.header.template).toBe('blue');
  });

  it('names the recipients Feishu refused, as ids', () => {
    const refused = { ...noRecipients(), openIds: ['ou_gone'], userIds: ['u_left'] };
    const card = buildReadsCard(view(sentView({ refused })), 'UTC');
    expectValidCard(card);
    const en = cardText(card, 'en');
    expect(en).toContain(
      '⚠️ **Feishu refused these ids**: They are not valid, or outside the bot’s availability; it sent to the rest.\n**People (open id)** (1): `ou_gone`\n**People (user id)** (1): `u_left`\nCheck these ids.',
    );
    expect(en).toContain(REFUSED_RECIPIENTS.action.en);
    expect(cardText(card, 'zh')).toContain('**飞书没有接受以下 ID**');
    // An empty refusal says nothing.
    expect(cardText(buildReadsCard(view(sentView({ refused: noRecipients() })), 'UTC'), 'en')).not.toContain('refused');
  });

  it('says a recalled message was recalled, by whom and when, and has no Recall', () => {
    const card = buildReadsCard(view(sentView({ recalled: { at: NOW - 60_000, by: 'ou_boss' } })), 'UTC');
    expectValidCard(card);
    expect(cardText(card, 'en')).toContain(`↩️ Recalled by <person id='ou_boss'`);
    expect(cardText(card, 'en')).toContain(`</person> at ${local(NOW - 60_000)}.`);
    expect(cardText(card, 'zh')).toContain('撤回。');
    expect(buttonValue(card, 'Recall')).toBeUndefined();
    expect(buttonValue(card, 'Refresh')).toBeDefined();
    expect(card.header.template).toBe('grey');
  });

  it('says what get_progress tells of the recall: still under way, or how many it took back from', () => {
    const recalled = (progress?: { recalled: boolean; count: number }) =>
      buildReadsCard(
        view(sentView({ recalled: { at: NOW, by: 'ou_boss', ...(progress ? { progress } : {}) } })),
        'UTC',
      );
    expect(cardText(recalled({ recalled: false, count: 0 }), 'en')).toContain(
      '. Feishu is still recalling it; refresh later.',
    );
    expect(cardText(recalled({ recalled: true, count: 24 }), 'en')).toContain(
      '. Feishu has taken it back from 24 people.',
    );
    expect(cardText(recalled({ recalled: true, count: 1 }), 'en')).toContain('taken it back from 1 person.');
    expect(cardText(recalled({ recalled: true, count: 24 }), 'zh')).toContain('撤回。飞书已从 24 人的会话中撤回。');
    expect(cardText(recalled(), 'en')).not.toMatch(/still recalling|taken it back/);
  });

  it('keeps Stop watching for a watched send', () => {
    const watch = {
      id: 'w_1',
      batchId,
      chatId: 'oc_1',
      cardMessageId: 'om_1',
      startedBy: 'ou_writer',
      startedAt: sentAt,
      until: sentAt + 86_400_000,
      intervalMs: 1_800_000,
      nextAt: NOW + 60_000,
    };
    const card = buildReadsCard({ ...view(sentView()), watch }, 'UTC');
    expectValidCard(card);
    expect(buttonValue(card, 'Recall')).toEqual({ a: 'recall', s: 'snd_1' });
    expect(buttonValue(card, 'Stop watching')).toEqual({ a: 'stop_watch', w: 'w_1' });
  });

  it('is the reads card as before, plus the block, and stays well under 30 KB with 4 × 200 ids refused', () => {
    const all = {
      departments: ids('od-', 200),
      openIds: ids('ou_', 200),
      userIds: ids('u', 200),
      unionIds: ids('on_', 200),
    };
    const card = buildReadsCard(view(sentView({ recipients: all, refused: all })), 'UTC');
    expectValidCard(card);
    expect(bytes(card)).toBeLessThan(WELL_UNDER_30_KB);
    const plain = buildReadsCard(view(), 'UTC');
    expect(card.body.elements.slice(0, 3)).toEqual(plain.body.elements.slice(0, 3));
    expect(card.body.elements.slice(-2)).toEqual(plain.body.elements.slice(-2));
  });
});
