/**
 * The report printed at the end of a crawl, finished or interrupted.
 */
import type { CrawlStats } from './stats.js';

/** How the crawl ended and how long it took. */
export interface ReportContext {
  /** The crawl was stopped by Ctrl-C before it was done. */
  readonly interrupted: boolean;
  /** From the first request to the end, in ms. */
  readonly elapsedMs: number;
}

/**
 * The report as lines of `label: value`, failures by reason in alphabetical order (the order they
 * happen in changes from run to run).
 * @example
 * ```ts
 * process.stdout.write(formatReport(stats, { interrupted: false, elapsedMs: 1234 }));
 * ```
 */
export function formatReport(stats: CrawlStats, context: ReportContext): string {
  const rows: [string, string][] = [
    ['pages ok', String(stats.ok)],
    ['failed', String(stats.failedTotal())],
    ...[...stats.failed]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([reason, count]): [string, string] => [`  ${reason}`, String(count)]),
    ['timed out', String(stats.timedOut)],
    ['not fetched', String(stats.found - stats.finished())],
    ['bytes', String(stats.bytes)],
    ['hashes done', String(stats.hashes)],
    ['elapsed', `${(context.elapsedMs / 1000).toFixed(2)} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  const title = context.interrupted ? 'crawl report (interrupted by Ctrl-C)' : 'crawl report';
  return [title, ...rows.map(([label, value]) => `  ${`${label}:`.padEnd(width)} ${value}`)]
    .join('\n')
    .concat('\n');
}
