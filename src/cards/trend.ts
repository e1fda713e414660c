/** What changed between snapshots, and the read-rate chart. Pure. */
import { both, lineChart, markdown, type Element, type Lang } from './card.js';
import { formatChange, formatShortTime, ratePercent } from './format.js';
import type { Snapshot } from '../domain/types.js';

const MAX_POINTS = 100;

/** At most `max` points, evenly spread, always keeping the first and the last. */
export function thin<T>(points: T[], max = MAX_POINTS): T[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]!);
}

export function rateChart(series: Snapshot[], now: number, timeZone: string): Element[] {
  const values = thin(series).map((s) => ({
    // Seconds, so snapshots taken within one minute stay apart on the axis.
    time: formatShortTime(s.takenAt, now, timeZone, 'zh', true),
    rate: ratePercent(s.readCount, s.totalCount),
  }));
  return [
    markdown({ zh: '**阅读率趋势（%）**', en: '**Read rate over time (%)**' }),
    lineChart({
      type: 'line',
      data: [{ id: 'reads', values }],
      xField: 'time',
      yField: 'rate',
      point: { visible: values.length <= 30 },
      axes: [
        { orient: 'left', type: 'linear', min: 0, max: 100 },
        { orient: 'bottom', type: 'band' },
      ],
    }),
  ];
}

function pointsChange(from: Snapshot, to: Snapshot): string {
  const d =
    Math.round((ratePercent(to.readCount, to.totalCount) - ratePercent(from.readCount, from.totalCount)) * 10) / 10;
  return d > 0 ? `+${d}` : d < 0 ? `−${-d}` : '±0';
}

/** "+12 read since 10:05", and since the first snapshot when there are more. */
export function changeLines(current: Snapshot, earlier: Snapshot[], now: number, timeZone: string): Element[] {
  const previous = earlier[earlier.length - 1];
  const first = earlier[0];
  if (!previous || !first) return [];
  const at = (s: Snapshot, lang: Lang) => formatShortTime(s.takenAt, now, timeZone, lang);
  const lines = [
    both((lang) =>
      lang === 'zh'
        ? `📈 自 ${at(previous, lang)} 以来已读 **${formatChange(current.readCount - previous.readCount)}**`
        : `📈 **${formatChange(current.readCount - previous.readCount)}** read since ${at(previous, lang)}`,
    ),
  ];
  if (earlier.length >= 2) {
    lines.push(
      both((lang) =>
        lang === 'zh'
          ? `与首次快照（${at(first, lang)}）相比：已读 ${formatChange(current.readCount - first.readCount)}，阅读率 ${pointsChange(first, current)} 个百分点`
          : `Since the first snapshot (${at(first, lang)}): ${formatChange(current.readCount - first.readCount)} read, rate ${pointsChange(first, current)} pts`,
      ),
    );
  }
  return lines.map((l) => markdown(l));
}
