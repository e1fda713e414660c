/**
 * The playground page in real headless Chromium, against the real bot: what
 * is typed goes through the webhook signed and encrypted, buttons through
 * the card callback, replies and updates through the fake Open API. Each
 * test leaves a screenshot in artifacts/playground/.
 */
import type { Browser, Page } from 'playwright-core';
import { DEMO } from '../../src/dev/demo/demoData.js';
import { FakeOpenApi, type FakeOpenApiOptions } from '../../src/dev/demo/fakeOpenApi.js';
import { mountPlayground } from '../../src/dev/playground/routes.js';
import { launchChromium, screenshot } from '../support/browser.js';
import { FakeClock } from '../support/fakeClock.js';
import { APP, KEY, startHarness, TOKEN, type Harness, type HarnessOptions } from '../support/harness.js';

const MINUTE = 60_000;

/** The bot with the playground mounted as main.ts mounts it; closes its fake too. */
async function botWithPlayground(
  batches: FakeOpenApiOptions['batches'],
  options: HarnessOptions = {},
): Promise<Harness> {
  const fake = new FakeOpenApi({ ...APP, batches });
  await fake.listen();
  const h = await startHarness({
    ...options,
    existingFake: fake,
    extendHttp: (app) =>
      mountPlayground(app, {
        decode: { verificationToken: TOKEN, encryptKey: KEY },
        openApiBaseUrl: fake.baseUrl,
        botOpenId: async () => APP.botOpenId,
        examples: [{ text: '/reads bm-pg-partly', note: 'partly read' }],
      }),
  });
  return { ...h, close: () => h.close().then(() => fake.close()) };
}

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
});
afterEach(() => page.close());

/** The card whose subtitle or text has `text`. */
const cardWith = (text: string) => page.locator('.card-wrap', { hasText: text });
const toast = (text: string) => page.locator('#toast', { hasText: text }).waitFor();

describe('with the system clock', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await botWithPlayground(
      {
        'bm-pg-partly': [
          { kind: 'counts', read: 37, total: 120 },
          { kind: 'counts', read: 52, total: 120 },
        ],
        bm_pg_lang: { kind: 'counts', read: 37, total: 120 },
        ...Object.fromEntries(
          Array.from({ length: 10 }, (_, i) => [
            `bm_pg_ten_${i}`,
            i === 7
              ? { kind: 'error' as const, httpStatus: 400, code: 230030, msg: 'not found' }
              : { kind: 'counts' as const, read: 1000 * i + 7, total: 12_000 },
          ]),
        ),
        bm_pg_slow: [
          { kind: 'counts', read: 1, total: 10 },
          { kind: 'counts', read: 9, total: 10, delayMs: 1500 },
        ],
      },
      { callbackBudgetMs: 800 },
    );
  });
  afterAll(() => h.close());

  it('shows the card of a one-click example as Feishu would; Refresh changes it in place', async () => {
    await page.goto(h.url);
    // A bm- id, as the batch-send API returns it (issue 27).
    await page.getByRole('button', { name: '/reads bm-pg-partly' }).click();
    const card = cardWith('bm-pg-partly');
    await card.locator('.card-title', { hasText: '批量消息阅读情况' }).waitFor();
    expect(await card.locator('.card-header').getAttribute('class')).toBe('card-header tpl-blue');
    expect(await card.locator('.column .size-heading').allTextContents()).toEqual(['37', '120', '83']);
    expect(await card.textContent()).toContain('阅读率：30.8%');
    expect(await card.locator('.fc-green', { hasText: '█' }).textContent()).toBe('██████');
    await screenshot(page, 'reads-card');

    await card.getByRole('button', { name: '刷新' }).click();
    await toast('已刷新。');
    await card.locator('.column .size-heading', { hasText: '52' }).waitFor();
    expect(await card.textContent()).toContain('由 ou_demo_user 刷新');
    expect(await card.locator('svg.chart').getAttribute('data-points')).toBe('2');
    expect(await page.locator('.turn').count()).toBe(1); // updated in place, no new message
    await screenshot(page, 'refreshed');
  });

  it('speaks in a group with an @mention, switches to English, and shows the exact card JSON', async () => {
    await page.goto(h.url);
    await page.getByRole('button', { name: 'Group, @bot' }).click();
    await page.getByRole('textbox', { name: 'Message' }).fill('/reads bm_pg_lang');
    await page.keyboard.press('Enter');
    await page.locator('.bubble', { hasText: '@Reads bot /reads bm_pg_lang' }).waitFor();
    const card = cardWith('bm_pg_lang');
    await card.locator('.card-title', { hasText: '批量消息阅读情况' }).waitFor();

    await page.getByRole('button', { name: 'English' }).click();
    await card.locator('.card-title', { hasText: 'Batch message reads' }).waitFor();
    expect(await card.textContent()).toContain('Read rate: 30.8%');

    const turn = page.locator('.turn', { has: card });
    await turn.getByRole('button', { name: 'Card JSON' }).click();
    const shown = JSON.parse((await turn.locator('pre.card-json').textContent())!);
    const sent = h.fake.replies.find((r) => JSON.stringify(r.card).includes('bm_pg_lang'))!;
    expect(shown).toEqual(sent.card);
    await screenshot(page, 'english-card-json');
  });

  it('shows all ten ids and the totals of a 10-id query on its first page, with no pager', async () => {
    await page.goto(h.url);
    const ids = Array.from({ length: 10 }, (_, i) => `bm_pg_ten_${i}`);
    await page.getByRole('textbox', { name: 'Message' }).fill(`/reads ${ids.join(' ')}`);
    await page.keyboard.press('Enter');
    const card = cardWith('合计');
    await card.locator('table.table-component').waitFor();
    const rows = card.locator('table.table-component tbody tr');
    expect(await rows.count()).toBe(10);
    for (let i = 0; i < 10; i++) expect(await rows.nth(i).isVisible()).toBe(true);
    expect(await rows.nth(9).textContent()).toBe('bm_pg_ten_99,00712,00075.1%');
    expect(await rows.nth(7).textContent()).toBe('bm_pg_ten_7❌ 230030');
    expect(await card.textContent()).toContain('合计：已读 38,063 / 推送 108,000，阅读率 35.2%');
    expect(await card.locator('.pager').count()).toBe(0);
    await screenshot(page, 'ten-ids');
  });

  it('a Refresh slower than the callback allows says "refreshing…"; the card changes when the bot updates the message', async () => {
    await page.goto(h.url);
    await page.getByRole('textbox', { name: 'Message' }).fill('/reads bm_pg_slow');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const card = cardWith('bm_pg_slow');
    await card.locator('.column .size-heading', { hasText: '1' }).first().waitFor();
    await card.getByRole('button', { name: '刷新' }).click();
    await toast('正在刷新…');
    await card.locator('text=阅读率：90.0%').waitFor();
    await page.locator('.turn', { has: card }).locator('.updates', { hasText: 'updated ×1' }).waitFor();
    await screenshot(page, 'late-refresh');
  });
});

describe('with a fake clock', () => {
  let h: Harness;
  let clock: FakeClock;
  beforeAll(async () => {
    clock = new FakeClock(Date.now());
    h = await botWithPlayground(
      {
        bm_pg_watch: [
          { kind: 'counts', read: 10, total: 30 },
          { kind: 'counts', read: 20, total: 30 },
        ],
        bm_pg_hist: Array.from({ length: 13 }, (_, i) => ({ kind: 'counts' as const, read: 10 * i, total: 200 })),
      },
      { clock },
    );
  });
  afterAll(() => h.close());

  it('starts a watch, shows its updates, and stops it', async () => {
    await page.goto(h.url);
    await page.getByRole('textbox', { name: 'Message' }).fill('/reads bm_pg_watch watch 30m every 1m');
    await page.keyboard.press('Enter');
    const card = cardWith('bm_pg_watch');
    await card.locator('text=监控中').waitFor();

    await clock.advance(MINUTE);
    while (h.fake.patches.length === 0) await new Promise((r) => setTimeout(r, 10)).then(() => clock.advance(0));
    await card.locator('text=阅读率：66.7%').waitFor();
    await page.locator('.turn', { has: card }).locator('.updates', { hasText: 'updated ×1' }).waitFor();
    await screenshot(page, 'watching');

    await card.getByRole('button', { name: '停止监控' }).click();
    await toast('已停止监控。');
    await card.locator('text=监控已由 ou_demo_user 停止').waitFor();
    expect(await card.getByRole('button', { name: '停止监控' }).count()).toBe(0);
    await screenshot(page, 'watch-stopped');
  });

  it('pages the history table ten rows at a time, newest first, as Feishu does', async () => {
    await page.goto(h.url);
    for (let i = 0; i < 12; i++) {
      await page.getByRole('textbox', { name: 'Message' }).fill('/reads bm_pg_hist');
      await page.keyboard.press('Enter');
      await page.locator('.card-wrap', { hasText: 'bm_pg_hist' }).nth(i).waitFor();
      await clock.advance(2 * MINUTE); // history keeps one snapshot a minute
    }
    await page.getByRole('textbox', { name: 'Message' }).fill('/reads bm_pg_hist history');
    await page.keyboard.press('Enter');
    const card = cardWith('阅读历史');
    const rows = card.locator('table.table-component tbody tr');
    await card.locator('.pager').waitFor();
    expect(await rows.count()).toBeGreaterThan(10);
    expect(await card.locator('table.table-component tbody tr:not([hidden])').count()).toBe(10);
    await screenshot(page, 'history');
    await card.locator('.pager-next').click();
    expect(await card.locator('.pager-at').textContent()).toBe(`2 / 2`);
    expect(await card.locator('table.table-component tbody tr:not([hidden])').count()).toBe((await rows.count()) - 10);
  });
});

describe('the bot menu and the query form', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await botWithPlayground({
      bm_pg_form_a: { kind: 'counts', read: 12, total: 40 },
      bm_pg_form_b: { kind: 'counts', read: 3, total: 10 },
    });
  });
  afterAll(() => h.close());

  it('the menu sends the form one-to-one; filling it in and pressing Query shows the counts in its place', async () => {
    await page.goto(h.url);
    await page.getByRole('button', { name: '☰ 查询 · Query' }).click();
    const card = cardWith('查询阅读情况');
    await card.locator('.card-form input[name="batch_ids"]').waitFor();
    expect(await page.locator('.turn .bubble').count()).toBe(0); // sent by the bot on its own: no typed message
    await card.locator('input[name="batch_ids"]').fill('bm_pg_form_a，bm_pg_form_b');
    await screenshot(page, 'query-form');

    await card.getByRole('button', { name: '查询' }).click();
    await toast('查询完成。');
    const answered = page.locator('.card-wrap', { hasText: 'bm_pg_form_b' });
    await answered.waitFor();
    expect(await answered.textContent()).toContain('bm_pg_form_a');
    expect(await page.locator('.turn').count()).toBe(1); // the form card changed in place
    await screenshot(page, 'query-form-answered');
  });

  it('a bad id in the form is explained, and the form stays to try again', async () => {
    await page.goto(h.url);
    await page.getByRole('button', { name: '帮助 · Help' }).click();
    const card = cardWith('阅读统计机器人');
    await card.locator('input[name="batch_ids"]').fill('not-an-id');
    await card.getByRole('button', { name: '查询' }).click();
    await toast('请检查填写的 ID。');
    await page.locator('.card-wrap', { hasText: '无效的批量消息 ID' }).locator('input[name="batch_ids"]').waitFor();
  });
});

describe('sending a batch message', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await botWithPlayground({}, { senders: new Set([DEMO.userOpenId]) });
  });
  afterAll(() => h.close());

  it('types /send on two lines, confirms the preview, sees the tracking card, and recalls it', async () => {
    await page.goto(h.url);
    const composer = page.getByRole('textbox', { name: 'Message' });
    await composer.fill('/send od-pg ou_pg');
    await composer.press('Shift+Enter');
    await composer.pressSequentially('Hello from the playground');
    await composer.press('Enter');
    const card = cardWith('Hello from the playground');
    await card.getByRole('button', { name: '确认发送' }).waitFor();
    expect(h.fake.batchSends).toHaveLength(0);
    await screenshot(page, 'send-preview');

    await card.getByRole('button', { name: '确认发送' }).click();
    await toast('开始发送。');
    const tracking = page.locator('.card-wrap', { hasText: '通过机器人发出' });
    await tracking.getByRole('button', { name: '撤回' }).waitFor();
    expect(h.fake.batchSends).toHaveLength(1);
    expect(await tracking.textContent()).toMatch(/bm-[0-9a-f]{32}/);
    expect(await page.locator('.turn').count()).toBe(1); // the preview became the tracking card
    await screenshot(page, 'send-tracking');

    await tracking.getByRole('button', { name: '撤回' }).click();
    const question = cardWith('撤回这条消息？');
    await question.getByRole('button', { name: '撤回' }).click();
    await page.locator('.card-wrap', { hasText: '飞书已从' }).waitFor();
    expect(h.fake.recalls).toHaveLength(1);
    await screenshot(page, 'send-recalled');
  });

  it('the menu item Send gives the form; its Preview shows the preview in its place', async () => {
    await page.goto(h.url);
    await page.getByRole('button', { name: '发送 · Send' }).click();
    const form = page.locator('.card-wrap', { has: page.locator('textarea') });
    await form.locator('textarea').fill('From the form\nsecond line');
    await form.locator('input[type="text"]').fill('od-pg');
    await form.getByRole('button', { name: '预览' }).click();
    await page.locator('.card-wrap', { hasText: 'From the form' }).getByRole('button', { name: '确认发送' }).waitFor();
    expect(h.fake.batchSends).toHaveLength(1); // only the one sent before
  });
});
