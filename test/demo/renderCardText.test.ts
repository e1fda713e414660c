import { buildReadsCard } from '../../src/cards/readsCard.js';
import { displayWidth, renderCardText } from '../../src/demo/renderCardText.js';

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

  it('makes an element it does not know visible', () => {
    const text = renderCardText({ header: { title: { content: 't' } }, body: { elements: [{ tag: 'img' }] } });
    expect(text).toContain('[unsupported element: img]');
  });

  it('counts CJK characters as two columns', () => {
    expect(displayWidth('已读 Read')).toBe(9);
  });
});
