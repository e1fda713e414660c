import {
  buildHelpCard,
  buildInvalidIdCard,
  buildInvalidWatchCard,
  buildTooLongCard,
  buildTooManyIdsCard,
} from '../../src/cards/helpCard.js';
import { buttonValue, cardText, expectValidCard } from '../support/cards.js';

describe('buildHelpCard', () => {
  it.each(['asked', 'missing_id', 'unknown', 'one_id_for_history_or_watch'] as const)('shows usage (%s)', (reason) => {
    const card = buildHelpCard(reason);
    expectValidCard(card);
    expect(cardText(card)).toContain('/reads bm_');
    expect(cardText(card)).toContain('/help');
  });

  it('says what was missing', () => {
    expect(cardText(buildHelpCard('missing_id'), 'en')).toContain('put a batch message id after /reads');
    expect(cardText(buildHelpCard('asked'), 'en')).toMatch(/history[\s\S]*watch 2h every 5m/);
  });
});

describe('buildInvalidIdCard', () => {
  it('echoes what was sent as plain text and says what a valid id looks like', () => {
    const card = buildInvalidIdCard('bm_<at id=all>**x**');
    expectValidCard(card);
    const echoed = card.body.elements.find((e) => e.tag === 'div') as { text: { tag: string; content: string } };
    expect(echoed.text).toEqual({ tag: 'plain_text', content: 'bm_<at id=all>**x**' });
    // Both forms, each cited from the doc page that writes it (issue 27).
    expect(cardText(card, 'en')).toContain('`bm-` or `bm_`');
    expect(cardText(card, 'zh')).toContain(
      '[批量发送消息](https://open.feishu.cn/document/server-docs/im-v1/batch_message/send-messages-in-batches)写作 `bm-…`',
    );
    expect(cardText(card, 'en')).toContain('/reads bm-d4be107c616aed9c1da8ed8068570a9f');
    expect(cardText(card, 'en')).toContain('at most 64 characters');
    expect(cardText(card, 'en')).not.toContain('Feishu was not queried'); // internal detail: the card says what to do
  });

  it('shortens a very long input', () => {
    const card = buildInvalidIdCard('x'.repeat(10_000));
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(5000);
  });
});

describe('buildTooManyIdsCard and buildInvalidWatchCard', () => {
  it('say what the limit is', () => {
    const many = buildTooManyIdsCard(12);
    expectValidCard(many);
    expect(cardText(many, 'en')).toContain('At most 10 batch message ids at once; this had 12');
    for (const problem of ['bad_duration', 'too_long', 'interval_too_short', 'interval_too_long'] as const) {
      const card = buildInvalidWatchCard(problem, problem === 'bad_duration' ? 'forever' : undefined);
      expectValidCard(card);
    }
    expect(cardText(buildInvalidWatchCard('too_long'), 'en')).toContain('at most 24 h');
    expect(cardText(buildInvalidWatchCard('interval_too_short'), 'zh')).toContain('至少间隔 1 分钟');
    expect(cardText(buildInvalidWatchCard('interval_too_short'), 'en')).toContain('at least 1 min apart');
    expect(cardText(buildInvalidWatchCard('too_short'), 'en')).toContain('lasts at least 1 min');
    expect(cardText(buildInvalidWatchCard('too_short'), 'zh')).toContain('监控至少 1 分钟');
  });
});

describe('buildTooLongCard', () => {
  it('says the limit and how long the message was, without echoing it', () => {
    const card = buildTooLongCard(150_000);
    expectValidCard(card);
    expect(cardText(card, 'en')).toContain('A command is at most 2000 characters; this message had 150000');
    expect(cardText(card, 'zh')).toContain('命令最长 2000 个字符');
    expect(cardText(card, 'en')).not.toContain('Feishu was not queried'); // internal detail: the card says what to do
  });
});

it('the help card states the limits a command must keep, in both languages', () => {
  const card = buildHelpCard('asked');
  expect(cardText(card, 'en')).toContain(
    'up to 10 ids at once; a watch lasts 1 min to 24 h, with updates at least 1 min apart and no further apart than the watch is long.',
  );
  expect(cardText(card, 'zh')).toContain('监控 1 分钟至 24 小时，每次更新至少间隔 1 分钟');
  expect(cardText(card, 'en')).toContain('/reads bm_xxx stop');
});

describe('buildHelpCard, about sending', () => {
  it('shows /send and /sent and a button to the form to those who may send', () => {
    const card = buildHelpCard('asked', 'allowed');
    expectValidCard(card);
    const en = cardText(card, 'en');
    expect(en).toContain('**/send recipients**\n**the message (from the second line on)**');
    expect(en).toContain('department ids (`od-…`), @mentions, open ids (`ou_…`) or user ids');
    expect(en).toContain('nothing is sent until you confirm');
    expect(en).toContain('**/sent**\nYour latest 10 batch messages');
    expect(cardText(card, 'zh')).toContain('先给你看预览，确认之后才会发送');
    expect(buttonValue(card, 'Write a batch message')).toEqual({ a: 'send_form' });
    // What the card said before stays, in its place.
    expect(en).toMatch(/\/reads bm-[\s\S]*\/help[\s\S]*Limits[\s\S]*\/send recipients[\s\S]*@mention me first/);
  });

  it('says in one line who may send, to the others', () => {
    const listed = buildHelpCard('asked', 'not_listed');
    const nobody = buildHelpCard('unknown', 'nobody');
    for (const card of [listed, nobody]) {
      expectValidCard(card);
      expect(cardText(card, 'en')).not.toContain('/sent');
      expect(buttonValue(card, 'Write a batch message')).toBeUndefined();
    }
    expect(cardText(listed, 'en')).toContain(
      'Sending batch messages (/send) is for the people the admin who deployed the bot lists in SENDERS.',
    );
    expect(cardText(nobody, 'en')).toContain(
      'is not turned on for this bot: the admin who deployed it has listed nobody in SENDERS.',
    );
    expect(cardText(nobody, 'zh')).toContain('没有开放发送批量消息');
    expect(listed.body.elements).toHaveLength(buildHelpCard('asked').body.elements.length + 1);
  });

  it('says nothing of sending without being told who reads it', () => {
    const text = cardText(buildHelpCard('asked'));
    expect(text).not.toContain('**/send');
    expect(text).not.toContain('/sent');
  });
});
