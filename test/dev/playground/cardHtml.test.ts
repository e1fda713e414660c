import { plainText } from '../../../src/cards/card.js';
import { buildErrorCard } from '../../../src/cards/errorCard.js';
import { buildHelpCard } from '../../../src/cards/helpCard.js';
import { buildHistoryCard } from '../../../src/cards/historyCard.js';
import { buildReadsCard } from '../../../src/cards/readsCard.js';
import { inlineMarkdown, markdownHtml, renderCardHtml } from '../../../src/dev/playground/cardHtml.js';
import { BotError } from '../../../src/domain/errors.js';

const takenAt = Date.UTC(2026, 10, 25, 2, 5, 0);
const snap = (readCount: number, at = takenAt) => ({ batchId: 'bm_abc', readCount, totalCount: 120, takenAt: at });

/** Every tag opened is closed, in order: the page never gets broken markup. */
function expectBalanced(html: string): void {
  const stack: string[] = [];
  for (const [, closing, name] of html.matchAll(/<(\/?)(\w+)[^>]*?(?<!\/)>/g)) {
    if (['br', 'hr'].includes(name!)) continue;
    if (closing) expect(stack.pop()).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
}

describe('renderCardHtml', () => {
  it('shows the header in its colour, the stats in columns, the rate bar, the buttons, in the chosen language', () => {
    const card = buildReadsCard({ snapshot: snap(37), now: takenAt }, 'UTC');
    const zh = renderCardHtml(card, 'zh');
    expect(zh).toContain(
      '<div class="card-header tpl-blue"><div class="card-title">批量消息阅读情况</div><div class="card-subtitle">bm_abc</div></div>',
    );
    expect(zh).toContain(
      '<div class="md size-heading align-center"><span class="fc-green"><strong>37</strong></span></div>',
    );
    expect(zh.match(/class="column valign-top" style="flex: 1 1 0"/g)).toHaveLength(3);
    expect(zh).toContain('<span class="fc-green">██████</span><span class="fc-grey">░░░░░░░░░░░░░░</span>');
    expect(zh).toContain('>刷新</button>');
    const en = renderCardHtml(card, 'en');
    expect(en).toContain('<div class="card-title">Batch message reads</div>');
    expect(en).toContain('<strong>Read rate: 30.8%</strong>');
    expect(en).toContain('<hr class="hr">');
    expectBalanced(zh);
    expectBalanced(en);
  });

  it('carries each button’s callback value, and the button row takes its labels’ width', () => {
    const watch = {
      id: 'w_1',
      batchId: 'bm_abc',
      chatId: 'oc',
      cardMessageId: 'om',
      startedBy: 'ou_s',
      startedAt: 0,
      until: takenAt + 3600_000,
      intervalMs: 60_000,
      nextAt: 0,
    };
    const html = renderCardHtml(buildReadsCard({ snapshot: snap(37), watch, now: takenAt }, 'UTC'), 'en');
    const values = [
      ...html.matchAll(/<button type="button" class="btn btn-(\w+)" data-callback="([^"]*)">([^<]*)<\/button>/g),
    ].map(([, kind, value, label]) => ({
      kind,
      label,
      value: JSON.parse(value!.replace(/&quot;/g, '"')),
    }));
    expect(values).toEqual([
      { kind: 'primary', label: 'Refresh', value: { a: 'refresh', ids: ['bm_abc'], w: 'w_1', at: takenAt } },
      { kind: 'default', label: 'Delivery', value: { a: 'delivery', id: 'bm_abc' } },
      { kind: 'danger', label: 'Stop watching', value: { a: 'stop_watch', w: 'w_1' } },
    ]);
    expect(html).toContain('style="flex: 0 0 auto"');
    expect(html).toContain('<span class="person">ou_s</span>');
  });

  it('draws the trend chart as SVG from the chart spec’s points, with the time labels', () => {
    const earlier = [snap(10, takenAt - 3600_000), snap(25, takenAt - 600_000)];
    const html = renderCardHtml(buildReadsCard({ snapshot: snap(37), earlier, now: takenAt }, 'UTC'));
    expect(html).toContain('<svg class="chart" viewBox="0 0 320 180" data-points="3"');
    const [, points] = /<polyline class="line" points="([^"]*)"/.exec(html)!;
    const ys = points!.split(' ').map((p) => Number(p.split(',')[1]));
    expect(ys[0]).toBeGreaterThan(ys[1]!); // the rate rises, so the line goes up the page
    expect(ys[1]).toBeGreaterThan(ys[2]!);
    expect(html).toContain('>01:05:00</text>');
    expect(html).toContain('>02:05:00</text>');
    expect(html.match(/<circle /g)).toHaveLength(3);
    expectBalanced(html);
  });

  it('renders a markdown table with its alignment, five rows a page as Feishu does', () => {
    const rows = Array.from({ length: 7 }, (_, i) => `| r${i} | ${i} |`);
    const html = markdownHtml(['| Name | N |', '| :-- | --: |', ...rows].join('\n'));
    expect(html).toContain('<th class="align-left">Name</th><th class="align-right">N</th>');
    expect(html.match(/<tr data-page="1">/g)).toHaveLength(5);
    expect(html.match(/<tr data-page="2" hidden>/g)).toHaveLength(2);
    expect(html).toContain('<div class="pager" data-pages="2">');
    expect(html).toContain('<span class="pager-at">1 / 2</span>');
    expectBalanced(html);
  });

  it('renders the history table component: typed cells, its page size, times in the reader’s zone', () => {
    const series = Array.from({ length: 12 }, (_, i) => snap(i * 100 + 1, takenAt - (12 - i) * 3_600_000));
    const card = buildHistoryCard('bm_abc', series, takenAt, 'UTC');
    const html = renderCardHtml(card, 'en', 'Asia/Shanghai');
    expect(html).toContain('<th class="align-left">时间 Time</th><th class="align-right">已读 Read</th>');
    // The newest first, thousands separated, the rate as the text shows it, the time in the browser's zone.
    expect(html).toContain(
      '<tr data-page="1"><td class="align-left">11-25 09:05</td><td class="align-right">1,101</td><td class="align-right">120</td><td class="align-right">100%</td></tr>',
    );
    expect(html).toContain(
      '<td class="align-right">101</td><td class="align-right">120</td><td class="align-right">84.2%</td>',
    );
    expect(html.match(/data-page="1"/g)).toHaveLength(10);
    expect(html.match(/data-page="2" hidden/g)).toHaveLength(2);
    expect(html).toContain('<span class="pager-at">1 / 2</span>');
    expect(renderCardHtml(card, 'en', 'UTC')).toContain('<td class="align-left">11-25 01:05</td>');
    expect(html).toContain('<div class="card-header tpl-turquoise">');
    expectBalanced(html);
  });

  it('draws a table component it did not build as Feishu would: default page size, raw numbers, RFC 3339 dates', () => {
    const t = Date.UTC(2026, 10, 25, 16, 30, 5);
    const html = renderCardHtml({
      schema: '2.0',
      body: {
        elements: [
          {
            tag: 'table',
            page_size: 42,
            columns: [
              { name: 'n', display_name: 'N', data_type: 'number' },
              { name: 'd', data_type: 'date' },
              { name: 'o', display_name: 'O', data_type: 'options', horizontal_align: 'right' },
            ],
            rows: Array.from({ length: 6 }, (_, i) => ({ n: 1234.5 + i, d: t, o: i ? { text: 'x' } : undefined })),
          },
          { tag: 'table' },
        ],
      },
    });
    expect(html).toContain(
      '<tr data-page="1"><td class="align-right">1234.5</td><td class="align-left">2026-11-25T16:30:05+00:00</td><td class="align-right"></td></tr>',
    );
    expect(html).toContain('<td class="align-right">{&quot;text&quot;:&quot;x&quot;}</td>');
    expect(html).toContain('<th class="align-left"></th>');
    expect(html.match(/data-page="2" hidden/g)).toHaveLength(1); // an invalid page_size pages by 5, as the default
    expectBalanced(html);
  });

  it('shows a person as a name chip and a local_datetime in the browser’s zone and language', () => {
    const t = Date.UTC(2026, 10, 25, 16, 30, 5);
    const md = `by <person id='ou_ann' show_name=true show_avatar=true style='capsule'></person> at <local_datetime millisecond='${t}' format_type='time_sec'></local_datetime> <local_datetime millisecond='${t}' format_type='date_short'></local_datetime>`;
    const html = renderCardHtml(
      { schema: '2.0', body: { elements: [{ tag: 'markdown', content: md }] } },
      'zh',
      'Asia/Shanghai',
    );
    expect(html).toContain(
      'by <span class="person">ou_ann</span> at <time class="local-time">00:30:05</time> <time class="local-time">11月26日</time>',
    );
    expect(inlineMarkdown(md, { lang: 'en', timeZone: 'America/New_York' })).toContain(
      '11:30:05</time> <time class="local-time">Nov 25</time>',
    );
    expectBalanced(html);
  });

  it('shows error and help cards, whose grey notes span lines', () => {
    const error = renderCardHtml(
      buildErrorCard('bm_abc', new BotError('feishu_api', 'x', { feishuCode: 230027, logId: 'L<1>' })),
      'en',
    );
    expect(error).toContain('<div class="card-header tpl-red">');
    expect(error).toContain('<strong>Error code: 230027</strong>');
    expect(error).toContain('log_id: L1'); // a log id keeps only characters that cannot form markup
    const help = renderCardHtml(buildHelpCard('asked'), 'zh');
    expect(help).toMatch(
      /<span class="fc-grey">群聊中请先 @ 我。<br>批量消息 ID 是.*以 <code>bm-<\/code> 或 <code>bm_<\/code>/,
    );
    expect(help).toContain(
      '<a href="https://open.feishu.cn/document/server-docs/im-v1/batch_message/send-messages-in-batches" target="_blank" rel="noreferrer">批量发送消息</a>',
    );
    expectBalanced(error);
    expectBalanced(help);
  });

  it('escapes everything: typed text, escaped markdown, attribute values', () => {
    const card = {
      schema: '2.0',
      header: { title: { tag: 'plain_text', content: '<img src=x onerror=alert(1)>' }, template: 'blue" onclick="x' },
      body: {
        elements: [
          plainText('<script>alert(1)</script>'),
          { tag: 'markdown', content: '&lt;b&gt;not bold&lt;/b&gt; & <b>raw</b> [x](javascript:alert(1))' },
          {
            tag: 'button',
            text: { tag: 'plain_text', content: 'b' },
            type: 'x" y="',
            behaviors: [{ type: 'callback', value: { q: '"><script>' } }],
          },
        ],
      },
    };
    const html = renderCardHtml(card);
    expect(html).not.toMatch(/<(script|img|b)[ >]/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;not bold&lt;/b&gt; &amp; &lt;b&gt;raw&lt;/b&gt; [x](javascript:alert(1))');
    expect(html).toContain('tpl-default');
    expect(html).toContain(
      'class="btn btn-default" data-callback="{&quot;q&quot;:&quot;\\&quot;&gt;&lt;script&gt;&quot;}"',
    );
    expectBalanced(html);
  });

  it('shows a visible placeholder naming any element, chart or schema it does not render', () => {
    const html = renderCardHtml({
      schema: '1.0',
      body: {
        elements: [
          { tag: 'img' },
          { tag: 'chart', chart_spec: { type: 'pie' } },
          { tag: 'chart', chart_spec: { type: 'line', data: [{ values: [] }] } },
          { tag: 'column_set', columns: [{ tag: 'table' }] },
        ],
      },
    });
    for (const what of ['img', 'chart type pie', 'line chart with no points', 'table', 'card schema 1.0']) {
      expect(html).toContain(`<div class="unsupported">Not shown by the playground: <code>${what}</code></div>`);
    }
  });
});

describe('inline markdown', () => {
  it('closes what the text leaves open, and nests bold in colour', () => {
    expect(inlineMarkdown("<font color='red'>**a")).toBe('<span class="fc-red"><strong>a</strong></span>');
    expect(inlineMarkdown('**a** b **c**')).toBe('<strong>a</strong> b <strong>c</strong>');
    expect(inlineMarkdown('[docs](https://open.feishu.cn/x)')).toBe(
      '<a href="https://open.feishu.cn/x" target="_blank" rel="noreferrer">docs</a>',
    );
  });

  it('keeps lines that only look like a table as text', () => {
    expect(markdownHtml('| a |\nb')).toBe('| a |<br>b');
  });
});

describe('renderCardHtml, for card JSON the bot did not build (pasted from the card builder)', () => {
  const render = (elements: unknown[], header: unknown = { title: { content: 'T' }, template: 'no such!' }) =>
    renderCardHtml({ schema: '2.0', header, body: { elements } }, 'en');

  it('says what it cannot show instead of guessing', () => {
    const html = render([
      { tag: 'img' },
      { tag: 'chart', chart_spec: { type: 'bar' } },
      { tag: 'chart', chart_spec: { type: 'line' } },
    ]);
    expect(html).toContain('Not shown by the playground: <code>img</code>');
    expect(html).toContain('<code>chart type bar</code>');
    expect(html).toContain('<code>line chart with no points</code>');
    expect(html).toContain('card-header tpl-default'); // an unknown header colour falls back
  });

  it('draws a line chart from its own axis and aspect ratio, without dots when points are hidden', () => {
    const spec = {
      type: 'line',
      xField: 'time',
      yField: 'rate',
      data: [{ values: [{ time: '10:00', rate: 20 }, { time: '11:00' }, { rate: 60 }] }],
      axes: [{ orient: 'left', min: 10, max: 50 }],
      point: { visible: false },
    };
    const html = render([{ tag: 'chart', aspect_ratio: '2:1', chart_spec: spec }]);
    expect(html).toContain('viewBox="0 0 320 160"');
    expect(html).toContain('data-points="3"');
    expect(html).not.toContain('<circle');
    expect(html).toMatch(/>10<\/text>[\s\S]*>50<\/text>/);
    expect(html).toContain('>10:00</text>');
  });

  it('lays out columns by weight, disables a button with no callback, and aligns table columns', () => {
    const html = render([
      {
        tag: 'column_set',
        columns: [
          { tag: 'column', width: 'weighted', weight: -3, elements: [{ tag: 'button', text: { content: 'Go' } }] },
          { tag: 'column', elements: [] },
          { tag: 'markdown', content: 'not a column' },
        ],
      },
      { tag: 'markdown', content: '| a | b | c |\n| :-: | --: | --- |\n| 1 | 2 | 3 |' },
    ]);
    expect(html).toContain('style="flex: 1 1 0"');
    expect(html).toContain('style="flex: 0 0 auto"');
    expect(html).toContain('<button type="button" class="btn btn-default" disabled>Go</button>');
    expect(html).toContain('Not shown by the playground: <code>markdown</code>');
    expect(html).toMatch(
      /<th class="align-center">a<\/th><th class="align-right">b<\/th><th class="align-left">c<\/th>/,
    );
    expect(html).toContain('class="md size-normal align-left"');
  });
});
