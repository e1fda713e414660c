/**
 * The send form in the playground: a multi-line input drawn as a textarea
 * holding its default value, and the page (web/src/main.ts, as built into
 * dist/playground) sending what is typed in it with the form, in real
 * headless Chromium. The page's API is answered in the browser, so no bot runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildSendFormCard } from '../../../src/cards/sendFormCard.js';
import { renderCardHtml } from '../../../src/dev/playground/cardHtml.js';
import type { PlaygroundMessage } from '../../../src/dev/playground/conversation.js';
import { SEND_FORM } from '../../../src/domain/send.js';
import { launchChromium } from '../../support/browser.js';

describe('the send form, drawn', () => {
  it('draws the message as a textarea holding the draft, the recipients as an input holding theirs', () => {
    const html = renderCardHtml(buildSendFormCard({ text: 'Hi <b>all</b> & "you"\nbye', to: 'od-a ou_b' }), 'en');
    expect(html).toContain(
      `<textarea name="${SEND_FORM.text}" placeholder="The text its recipients will get" maxlength="1000" rows="5">\nHi &lt;b&gt;all&lt;/b&gt; &amp; &quot;you&quot;\nbye</textarea>`,
    );
    expect(html).toMatch(
      new RegExp(`<input type="text" name="${SEND_FORM.to}" placeholder="od-[^"]+" value="od-a ou_b">`),
    );
    expect(html).toContain('<span class="input-label">The message (up to 1000 characters)</span>');
  });

  it('draws empty fields for a new message, and a textarea’s default number of rows', () => {
    const html = renderCardHtml(buildSendFormCard(), 'zh');
    expect(html).toContain('maxlength="1000" rows="5">\n</textarea>');
    expect(html).not.toContain('value=');
    const bare = renderCardHtml({
      schema: '2.0',
      body: { elements: [{ tag: 'input', input_type: 'multiline_text' }] },
    });
    expect(bare).toContain('<textarea name="" placeholder="" rows="5">\n</textarea>');
  });
});

const PAGE_DIR = 'dist/playground';
const ORIGIN = 'http://playground.test';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** The page as built, its API answered here: one message, the form card; presses are recorded. */
async function pageWithCard(page: Page, card: unknown, presses: unknown[]): Promise<void> {
  const message: PlaygroundMessage = {
    id: 'om_typed',
    text: '',
    where: 'p2p',
    sentAt: 1,
    status: 200,
    reply: { messageId: 'om_form', card, at: 1, updates: 0 },
    version: 1,
  };
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/playground/messages')
      return route.fulfill({ json: { version: 1, messages: url.searchParams.get('since') === '0' ? [message] : [] } });
    if (url.pathname === '/playground/examples') return route.fulfill({ json: { examples: [] } });
    if (url.pathname === '/playground/press') {
      presses.push(route.request().postDataJSON());
      return route.fulfill({ json: { toast: { type: 'info', content: 'ok' } } });
    }
    const file = join(PAGE_DIR, url.pathname === '/' ? 'index.html' : url.pathname);
    if (!existsSync(file)) return route.fulfill({ status: 404 });
    return route.fulfill({ body: readFileSync(file), contentType: TYPES[extname(file)] ?? 'application/octet-stream' });
  });
  await page.goto(`${ORIGIN}/`);
}

describe('the send form, on the page', () => {
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(join(PAGE_DIR, 'index.html')))
      throw new Error(`No page in ${PAGE_DIR}: run npm run build:web (npm test does) first`);
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it('shows the draft in the textarea and sends what is typed in it, new lines and all, with the form', async () => {
    const page = await browser.newPage();
    const presses: unknown[] = [];
    // A draft that starts with a new line and holds markup: the textarea shows it exactly.
    const draft = '\nDear all,\n  <b>the office</b> & "the lab" close at 5.';
    await pageWithCard(page, buildSendFormCard({ text: draft, to: 'od-sales' }), presses);
    const text = page.locator(`.card-form textarea[name="${SEND_FORM.text}"]`);
    await text.waitFor();
    expect(await text.inputValue()).toBe(draft);
    expect(await page.locator(`input[name="${SEND_FORM.to}"]`).inputValue()).toBe('od-sales');

    await text.fill('Line one\nLine two');
    await page.locator(`input[name="${SEND_FORM.to}"]`).fill('od-sales, ou_ann');
    await page.getByRole('button', { name: '预览' }).click();
    await page.locator('#toast', { hasText: 'ok' }).waitFor();
    expect(presses).toEqual([
      {
        cardMessageId: 'om_form',
        value: { a: 'send_preview' },
        form: {
          name: SEND_FORM.submit,
          values: { [SEND_FORM.text]: 'Line one\nLine two', [SEND_FORM.to]: 'od-sales, ou_ann' },
        },
      },
    ]);
    await page.close();
  });
});
