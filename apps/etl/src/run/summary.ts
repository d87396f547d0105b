import { type PeriodOutcome, skippedCount } from './outcome';
import type { RunReport } from './run-job';

/** The table printed at the end of a run: one row per (source, series, period), then totals. */
export function formatSummary(report: RunReport): string {
  const header = [
    'source',
    'series',
    'period',
    'status',
    'inserted',
    'updated',
    'unchanged',
    'skipped',
    'reason',
  ];
  const rows = [...report.outcomes]
    .sort(
      (a, b) =>
        a.period.localeCompare(b.period) ||
        a.source.localeCompare(b.source) ||
        a.series.localeCompare(b.series),
    )
    .map((outcome) => row(outcome));
  const t = report.totals;
  rows.push([
    'total',
    '',
    '',
    report.ok ? 'ok' : 'FAILED',
    ...[t.inserted, t.updated, t.unchanged, t.skipped].map(String),
    '',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((cells) => (cells[column] ?? '').length)),
  );
  const numeric = new Set([4, 5, 6, 7]);
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        numeric.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const lines = [
    `run ${report.runId}`,
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
  ];
  const event = report.event;
  lines.push(
    `event market.updated: ${event.status}${event.reason ? ` (${event.reason})` : ''}` +
      (report.republished.length > 0 ? `; re-published ${report.republished.join(', ')}` : ''),
  );
  if (report.stoppedBy) lines.push(`stopped: ${report.stoppedBy}`);
  return `${lines.join('\n')}\n`;
}

function row(outcome: PeriodOutcome): string[] {
  const skipped = Object.entries(outcome.skipped).map(([reason, count]) => `${count} skipped: ${reason}`);
  const reason = [outcome.reason, ...skipped].filter(Boolean).join('; ');
  return [
    outcome.source,
    outcome.series,
    outcome.period,
    outcome.status,
    String(outcome.counts.inserted),
    String(outcome.counts.updated),
    String(outcome.counts.unchanged),
    String(skippedCount(outcome)),
    reason,
  ];
}
