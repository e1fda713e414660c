import { buildReadsCard } from '../../src/cards/readsCard.js';
import { cardText, expectValidCard } from '../support/cards.js';

const takenAt = Date.UTC(2026, 10, 25, 2, 5, 0);

describe('buildReadsCard', () => {
  it('shows read, total, unread, rate with a bar, snapshot time and the snapshot note', () => {
    const card = buildReadsCard({ batchId: 'bm_abc', readCount: 37, totalCount: 120, takenAt }, 'Asia/Shanghai');
    expectValidCard(card);
    const text = cardText(card);
    expect(card.header.subtitle?.content).toBe('bm_abc');
    expect(text).toMatch(/已读 Read\n<font color='green'>\*\*37\*\*<\/font>/);
    expect(text).toMatch(/推送总数 Total pushed\n<font color='blue'>\*\*120\*\*<\/font>/);
    expect(text).toMatch(/未读 Unread\n<font color='orange'>\*\*83\*\*<\/font>/);
    expect(text).toContain('30.8%');
    expect(text).toContain('█');
    expect(text).toContain('2026-11-25 10:05:00 (Asia/Shanghai, UTC+08:00)');
    expect(text).toContain('快照');
    expect(text).toContain('30 days');
    expect(card.config.summary.content).toContain('37/120');
    expect(card.header.template).toBe('blue');
  });

  it('is green and says so when everyone read it', () => {
    const card = buildReadsCard({ batchId: 'bm_abc', readCount: 5000, totalCount: 5000, takenAt }, 'UTC');
    expect(card.header.template).toBe('green');
    expect(cardText(card)).toContain('All read');
    expect(cardText(card)).toContain('5,000');
  });

  it('handles a message pushed to nobody without dividing by zero', () => {
    const card = buildReadsCard({ batchId: 'bm_abc', readCount: 0, totalCount: 0, takenAt }, 'UTC');
    expectValidCard(card);
    expect(cardText(card)).toContain('not pushed to anyone');
    expect(cardText(card)).not.toContain('NaN');
  });

  it('uses the configured time zone', () => {
    const card = buildReadsCard({ batchId: 'bm_abc', readCount: 1, totalCount: 2, takenAt }, 'Europe/London');
    expect(cardText(card)).toContain('2026-11-25 02:05:00 (Europe/London, UTC+00:00)');
  });
});
