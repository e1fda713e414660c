import { explainError, knownFeishuCodes } from '../../src/feishu/errorCatalogue.js';
import { BotError } from '../../src/domain/errors.js';

describe('error catalogue', () => {
  it('covers every documented read_user error and the generic ones', () => {
    for (const code of [230001, 230012, 230027, 230030, 99991400, 99991663, 99991672, 230002, 230020, 230025, 230099]) {
      expect(knownFeishuCodes()).toContain(code);
    }
  });

  const everyError = () => [
    ...knownFeishuCodes().map((c) => new BotError('feishu_api', 'm', { feishuCode: c })),
    new BotError('timeout', 't'),
    new BotError('network', 'n'),
    new BotError('feishu_http', 'h', { httpStatus: 500 }),
    new BotError('feishu_http', 'h', { httpStatus: 429 }),
    new BotError('feishu_http', 'h', { httpStatus: 404 }),
    new BotError('bad_response', 'b'),
    new BotError('cancelled', 'c'),
    new BotError('unavailable', 'u'),
    new BotError('config', 'c'),
  ];
  const CJK = /[\u4e00-\u9fff]/;

  it('says each thing in Chinese and in English: the title a few words, the meaning and the action sentences', () => {
    for (const e of everyError()) {
      const { title, meaning, action } = explainError(e);
      for (const text of [title, meaning, action]) {
        // Chinese is mostly Chinese (names such as FEISHU_APP_ID aside); English has none.
        const zh = text.zh.replace(/[ -~]/g, '');
        expect(zh.length).toBeGreaterThanOrEqual(2);
        expect([...zh].filter((c) => CJK.test(c)).length / [...zh].length).toBeGreaterThan(0.6);
        expect(text.en).not.toMatch(CJK);
        expect(text.en).toMatch(/^[A-Z]/);
      }
      expect(title.en.split(' ').length).toBeGreaterThanOrEqual(2);
      expect(title.en).not.toMatch(/\.$/);
      for (const sentence of [meaning, action]) {
        expect(sentence.en.split(' ').length).toBeGreaterThanOrEqual(3);
        expect(sentence.en).toMatch(/\.$/);
        expect(sentence.zh).toMatch(/。$/);
      }
    }
  });

  it('tells the errors apart: no two kinds of failure share a meaning or an action', () => {
    const byMeaning = new Map<string, string>();
    // One entry each, by design: a wrong secret; the bot capability off (the batch send's code, the other APIs').
    const sameEntries = [
      ['10014', '10015', '20002'],
      ['230006', '11205'],
    ];
    const same = (a: string, b: string) => sameEntries.some((codes) => codes.includes(a) && codes.includes(b));
    for (const e of everyError()) {
      const x = explainError(e);
      if (x.code === 'HTTP 429') continue; // Feishu's rate limit, answered as a bare HTTP 429
      const key = `${x.meaning.en} | ${x.action.en}`;
      const earlier = byMeaning.get(key);
      if (earlier === undefined || same(earlier, x.code)) byMeaning.set(key, x.code);
      else throw new Error(`${x.code} explains itself exactly as ${earlier} does`);
    }
  });

  it.each([
    [230001, /malformed or wrong/, /paste it as it is.*bm- \(as the batch-send docs.*bm_ \(as the read_user docs/],
    [230012, /sent by this same app/, /with the app that sent it/],
    [230027, /im:message:send_multi_users \/ im:message:send_multi_depts/, /external sharing/],
    [230030, /more than 30 days ago/, /last 30 days/],
    [99991400, /50 calls per second, 1000 per minute/, /Wait a few seconds/],
    [99991663, /tenant_access_token/, /FEISHU_APP_ID and FEISHU_APP_SECRET/],
    [99991672, /im:message:send_multi_users \/ im:message:send_multi_depts/, /Permissions & Scopes/],
    [230002, /no longer a member of this chat/, /Add the bot to the group again/],
    [230020, /at most 5 bot messages per second/, /Try again in a moment/],
    [230025, /size limit/, /maintainers/],
    [230099, /could not create a card/, /Try again later/],
  ])('explains Feishu code %i as the documentation describes it', (code, meaning, action) => {
    const x = explainError(new BotError('feishu_api', 'm', { feishuCode: code }));
    expect(x.code).toBe(String(code));
    expect(x.meaning.en).toMatch(meaning);
    expect(x.action.en).toMatch(action);
  });

  it('keeps the numbers and names a reader acts on in the Chinese text too', () => {
    const zh = (code: number) => explainError(new BotError('feishu_api', 'm', { feishuCode: code }));
    expect(zh(230030).meaning.zh).toContain('30 天');
    expect(zh(230027).meaning.zh).toContain('im:message:send_multi_users');
    expect(zh(99991400).meaning.zh).toMatch(/50 次.*1000 次/);
    expect(zh(99991663).action.zh).toContain('FEISHU_APP_SECRET');
  });

  it('passes on what Feishu said for a code it does not know', () => {
    const x = explainError(new BotError('feishu_api', 'quota exceeded for tenant', { feishuCode: 1234567 }));
    expect(x.code).toBe('1234567');
    expect(x.said).toBe('quota exceeded for tenant'); // outside text: the card shows it as plain text only
    expect(x.meaning.en).not.toContain('quota exceeded');
    expect(x.action.en).toContain('error code and log_id');
  });

  it('treats the passing failures as transient and the request’s own faults as not', () => {
    expect(explainError(new BotError('timeout', 't')).transient).toBe(true);
    expect(explainError(new BotError('network', 't')).transient).toBe(true);
    expect(explainError(new BotError('feishu_http', 't', { httpStatus: 503 })).transient).toBe(true);
    expect(explainError(new BotError('feishu_api', 't', { feishuCode: 99991400 })).transient).toBe(true);
    expect(explainError(new BotError('feishu_api', 't', { feishuCode: 230030 })).transient).toBe(false);
    expect(explainError(new BotError('feishu_api', 't', { feishuCode: 230027 })).transient).toBe(false);
  });

  it('shows an HTTP status when there is no Feishu code', () => {
    expect(explainError(new BotError('feishu_http', 'x', { httpStatus: 502 })).code).toBe('HTTP 502');
    expect(explainError(new BotError('feishu_http', 'x', { httpStatus: 429 })).title.en).toBe('Rate limited');
    expect(explainError(new BotError('feishu_http', 'x', { httpStatus: 404 })).title.en).toBe(
      'Feishu refused the request',
    );
  });

  describe('sending and recalling a batch message', () => {
    const explain = (code: number) => explainError(new BotError('feishu_api', 'm', { feishuCode: code }));
    const SEND_CODES = [
      10002, 10003, 11101, 11203, 11204, 11205, 11207, 11209, 11210, 11223, 11231, 11246, 11247, 11312,
    ];
    const RECALL_CODES = [230001, 230006, 230009, 230026, 230027, 230030];

    it('covers every error the batch-send and recall pages document', () => {
      for (const code of [...SEND_CODES, ...RECALL_CODES]) expect(knownFeishuCodes()).toContain(code);
    });

    it.each([
      [10002, /could not create or send/, /Check the text/],
      [10003, /recipients when it sends a batch message/, /check its recipients and text.*FEISHU_APP_ID/],
      [11101, /each app has its own open_ids/, /@mention the person/],
      [11203, /lacks the scope im:message:send_multi_users.*to people/, /grant im:message:send_multi_users/],
      [11204, /lacks the scope im:message:send_multi_depts.*to departments/, /grant im:message:send_multi_depts/],
      [11205, /bot capability/, /add "Bot"/],
      [11207, /not available in this tenant/, /enable it/],
      [11209, /cannot find this app/, /FEISHU_APP_ID/],
      [11210, /not installed in this tenant/, /install the app/],
      [11223, /neither im:message nor im:message:send_as_bot/, /grant im:message:send_as_bot/],
      [11231, /chat the send involves does not exist/, /Check the recipients/],
      [11246, /could not build the message/, /Send it again later/],
      [11247, /500,000 batch messages for today/, /tomorrow, or to fewer people/],
      [11312, /content review/, /Change the text/],
      [230009, /longer ago than the tenant’s admin allows/, /no longer be recalled/],
      [230026, /only the messages it sent itself/, /Recall it with the app that sent it/],
    ])('explains code %i as the documentation describes it', (code, meaning, action) => {
      const x = explain(code);
      expect(x.code).toBe(String(code));
      expect(x.meaning.en).toMatch(meaning);
      expect(x.action.en).toMatch(action);
    });

    it('names in Chinese too the scope to add and the daily limit', () => {
      expect(explain(11203).action.zh).toContain('im:message:send_multi_users');
      expect(explain(11204).action.zh).toContain('im:message:send_multi_depts');
      expect(explain(11223).action.zh).toContain('im:message:send_as_bot');
      expect(explain(11247).meaning.zh).toContain('50 万条');
      expect(explain(230009).meaning.zh).toContain('撤回时限');
    });

    it('says the shared errors hold for recalling as well as querying', () => {
      expect(explain(230006).meaning.en).toMatch(/send, query or recall batch messages/);
      expect(explain(230027).meaning.en).toMatch(/may not query or recall this message/);
      expect(explain(230006)).toEqual({ ...explain(11205), code: '230006' });
    });

    it('marks only the passing content error as worth sending again as it is', () => {
      const transient = [...SEND_CODES, ...RECALL_CODES].filter((code) => explain(code).transient);
      expect(transient).toEqual([11246]);
    });
  });
});
