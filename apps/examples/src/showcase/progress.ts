/**
 * The live progress line: on a terminal one line rewritten in place (`\r`), elsewhere (a pipe, a
 * file, CI logs) a plain line each time.
 */
import { type Coro, sleep } from 'asyncio-ts';
import type { CrawlStats } from './stats.js';

/** Where progress goes and how often. */
export interface ProgressOptions {
  /** Writes text as it is, with no newline added. */
  readonly write: (text: string) => void;
  /** Whether the output is a terminal, where the line is redrawn in place. */
  readonly tty: boolean;
  /** The time between two updates, in ms. */
  readonly everyMs: number;
}

/** Erases the current terminal line: back to its start, then clear to its end. */
export const eraseLine = '\r\x1b[K';

/** One line saying how far the crawl is. */
export function progressText(stats: CrawlStats): string {
  const kib = (stats.bytes / 1024).toFixed(1);
  return (
    `${stats.finished()}/${stats.found} pages done ` +
    `(ok ${stats.ok}, failed ${stats.failedTotal()}, timed out ${stats.timedOut}), ` +
    `${stats.inProgress} in progress, ${kib} KiB, ${stats.hashes} hashed`
  );
}

/**
 * Shows {@link progressText} every `everyMs` until cancelled; on a terminal the line is erased
 * when it ends, so what is printed next starts on a clean line.
 */
export function* showProgress(stats: CrawlStats, options: ProgressOptions): Coro<void> {
  try {
    while (true) {
      if (options.tty) options.write(`${eraseLine}${progressText(stats)}`);
      else options.write(`progress: ${progressText(stats)}\n`);
      yield* sleep(options.everyMs);
    }
  } finally {
    if (options.tty) options.write(eraseLine);
  }
}
