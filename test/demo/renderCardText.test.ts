import { buildReadsCard } from '../../src/cards/readsCard.js';
import { displayWidth, renderCardText } from '../../src/demo/renderCardText.js';

describe('renderCardText', () => {
  it('shows the header, the stats side by side and the note', () => {
    const text = renderCardText(buildReadsCard({ batchId: 'bm_x', readCount: 3, totalCount: 4, takenAt: 0 }, 'UTC'));
    expect(text).toContain('▌ 批量消息阅读情况 · Batch message reads');
    expect(text).toContain('▌ bm_x');
    expect(text).toMatch(/已读 Read\s+推送总数 Total pushed\s+未读 Unread\n\s+3\s+4\s+1/);
    expect(text).toContain('75.0%');
    expect(text).not.toContain('<font');
    expect(text).not.toContain('**');
  });

  it('makes an element it does not know visible', () => {
    const text = renderCardText({ header: { title: { content: 't' } }, body: { elements: [{ tag: 'chart' }] } });
    expect(text).toContain('[unsupported element: chart]');
  });

  it('counts CJK characters as two columns', () => {
    expect(displayWidth('已读 Read')).toBe(9);
  });
});
