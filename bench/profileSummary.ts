/** Where a .cpuprofile's samples fell: self time by function, the largest first, to stderr. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface ProfileNode {
  id: number;
  hitCount?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export function printTop(file: string, count: number): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] };
  const self = new Map<string, number>();
  let total = 0;
  for (const { hitCount = 0, callFrame: f } of profile.nodes) {
    const where = `${f.functionName || '(anonymous)'} ${f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : ''}`.trim();
    self.set(where, (self.get(where) ?? 0) + hitCount);
    total += hitCount;
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, count);
  process.stderr.write(`self time of the bot, ${total} samples:\n`);
  for (const [where, hits] of top)
    process.stderr.write(`  ${((100 * hits) / total).toFixed(1).padStart(5)}%  ${where}\n`);
}
