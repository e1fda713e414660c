import { buildHistoryCard } from '../../../src/cards/historyCard.js';
import { buildMultiReadsCard } from '../../../src/cards/multiReadsCard.js';
import { buildReadsCard } from '../../../src/cards/readsCard.js';
import { displayWidth, renderCardText } from '../../../src/dev/demo/renderCardText.js';

describe('renderCardText', () => {
  it('shows the header, the stats side by side and the note', () => {
    const card = buildReadsCard(
      { snapshot: { batchId: 'bm_x', readCount: 3, totalCount: 4, takenAt: 0 }, now: 0 },
      'UTC',
    );
    const text = renderCardText(card);
    expect(text).toContain('▌ 批量消息阅读情况');
    expect(text).toContain('▌ bm_x');
    expect(text).toMatch(/已读\s+推送总数\s+未读\n\s+3\s+4\s+1/);
    expect(text).toContain('75.0%');
    expect(text).toContain('[ 刷新 ]');
    const en = renderCardText(card, false, 'en');
    expect(en).toContain('▌ Batch message reads');
    expect(en).toMatch(/Read\s+Total pushed\s+Unread/);
    expect(en).toContain('[ Refresh ]');
    expect(text).not.toContain('<font');
    expect(text).not.toContain('**');
  });

  it('shows times in the configured zone and names it, and people by id', () => {
    const takenAt = Date.UTC(2026, 10, 25, 16, 30, 5);
    const card = buildReadsCard(
      { snapshot: { batchId: 'bm_x', readCount: 3, totalCount: 4, takenAt }, refreshedBy: 'ou_ann', now: takenAt },
      'UTC',
    );
    const text = renderCardText(card, false, 'en', 'Asia/Shanghai');
    expect(text).toContain('Snapshot: 2026-11-26 00:30:05 · refreshed by 👤ou_ann');
    expect(text).toContain('(times in Asia/Shanghai)');
    expect(renderCardText(card, false, 'zh', 'UTC')).toContain('快照时间: 2026-11-25 16:30:05');
    expect(renderCardText(card, false, 'zh', 'UTC')).toContain('（时间为 UTC）');
  });

  it('shows a table component’s first page, right-aligned numbers, and how many pages there are', () => {
    const at = Date.UTC(2026, 10, 25, 12, 0, 0);
    const series = Array.from({ length: 12 }, (_, i) => ({
      batchId: 'bm_x',
      readCount: i * 1000,
      totalCount: 20_000,
      takenAt: at - (12 - i) * 3_600_000,
    }));
    const text = renderCardText(buildHistoryCard('bm_x', series, at, 'UTC'), false, 'en', 'UTC');
    expect(text).toMatch(/时间 Time\s+已读 Read\s+推送 Pushed\s+阅读率 Rate/);
    expect(text).toMatch(/11-25 11:00\s+11,000\s+20,000\s+55\.0%/);
    expect(text).not.toContain('11-25 01:00'); // on page 2
    expect(text).toContain('(page 1 of 2, 12 rows)');
    const multi = buildMultiReadsCard(
      Array.from({ length: 10 }, (_, i) => ({ batchId: `bm_${i}`, result: { readCount: i, totalCount: 10 } })),
      at,
    );
    const zh = renderCardText(multi, false, 'zh', 'UTC');
    for (let i = 0; i < 10; i++) expect(zh).toContain(`bm_${i}`);
    expect(zh).not.toContain('页');
  });

  it('makes an element it does not know visible', () => {
    const text = renderCardText({ header: { title: { content: 't' } }, body: { elements: [{ tag: 'img' }] } });
    expect(text).toContain('[unsupported element: img]');
  });

  it('counts CJK characters as two columns', () => {
    expect(displayWidth('已读 Read')).toBe(9);
  });
});
