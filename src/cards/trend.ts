/** What changed between snapshots, and the read-rate chart. Pure. */
import { both, lineChart, markdown, type Element, type Lang } from './card.js';
import { formatChange, formatPointsChange, formatShortTime, readerDateTime, ratePercent } from './format.js';
import type { Snapshot, Watch } from '../domain/types.js';

const MAX_POINTS = 100;

/** At most `max` points, evenly spread, always keeping the first and the last. */
export function thin<T>(points: T[], max = MAX_POINTS): T[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]!);
}

/**
 * The read-rate chart. Its axis labels cannot hold `<local_datetime>`, so
 * they are in the configured zone, which the chart's title names.
 */
export function rateChart(series: Snapshot[], now: number, timeZone: string): Element[] {
  const values = thin(series).map((s) => ({
    // Seconds, so snapshots taken within one minute stay apart on the axis.
    time: formatShortTime(s.takenAt, now, timeZone, 'zh', true),
    rate: ratePercent(s.readCount, s.totalCount),
  }));
  return [
    markdown({
      zh: `**阅读率趋势（%）** <font color='grey'>时间为 ${timeZone}</font>`,
      en: `**Read rate over time (%)** <font color='grey'>times in ${timeZone}</font>`,
    }),
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

/** What "since" means on a card: the card says which snapshot it compares with. */
export type Baseline = { kind: 'card'; snapshot: Snapshot } | { kind: 'first'; snapshot: Snapshot };

const SINCE: Record<Baseline['kind'], Record<Lang, string>> = {
  card: { zh: '与本卡片上次的快照', en: "Since this card's previous snapshot" },
  first: { zh: '与本卡片最早的快照', en: 'Since the earliest snapshot on this card' },
};

/** One line: the change in readers and in read rate since the baseline, both from raw counts. */
export function changeLine(current: Snapshot, baseline: Baseline): Element {
  const from = baseline.snapshot;
  return markdown(
    both((lang) => {
      const at = readerDateTime(from.takenAt, true);
      const read = formatChange(current.readCount - from.readCount);
      const points = formatPointsChange(from, current);
      return lang === 'zh'
        ? `📈 ${SINCE[baseline.kind].zh}（${at}）相比：已读 **${read}**，阅读率 **${points}** 个百分点`
        : `📈 ${SINCE[baseline.kind].en} (${at}): **${read}** read, read rate **${points}** pts`;
    }),
  );
}

/**
 * The snapshot a watched card showed before its latest one: the newest of
 * `earlier` taken since the watch started.
 */
export function previousOnWatch(earlier: Snapshot[], watch: Watch): Snapshot | undefined {
  const last = earlier[earlier.length - 1];
  return last && last.takenAt >= watch.startedAt ? last : undefined;
}
