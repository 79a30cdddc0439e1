/**
 * The showcase program, `pnpm start -- crawl`: serve a generated site, crawl it, report.
 */
import { isIntrospectionEnabled, setIntrospection } from '@asyncio-ts/introspection';
import {
  CancelledError,
  type Coro,
  createTask,
  currentTask,
  ensureFuture,
  getRunningLoop,
  KeyboardInterrupt,
  run,
  type Task,
  wait,
} from 'asyncio-ts';
import { crawl } from './crawler.js';
import { parseShowcaseArgs, type ShowcaseOptions, showcaseUsage } from './options.js';
import { eraseLine, showProgress } from './progress.js';
import { formatReport } from './report.js';
import { startSiteServer } from './server.js';
import { buildSite, pagePath } from './site.js';
import { CrawlStats } from './stats.js';
import { printTreeAfter } from './tree.js';

/** Where the showcase writes, and whether standard output is a terminal. */
export interface ShowcaseStreams {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly isTTY?: boolean;
}

/** The exit code of a program stopped by Ctrl-C, as a shell reports it (128 + SIGINT). */
export const interruptedExitCode = 130;

/**
 * Runs the showcase with the command line `args` and resolves to the exit code: 0 when the crawl
 * is done, 130 after Ctrl-C (as Python exits on a KeyboardInterrupt), 2 for bad flags.
 * @example
 * ```ts
 * process.exitCode = await runShowcase(['--pages', '50', '--tree'], {
 *   stdout: (text) => process.stdout.write(text),
 *   stderr: (text) => process.stderr.write(text),
 * });
 * ```
 */
export async function runShowcase(
  args: readonly string[],
  streams: ShowcaseStreams,
): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    streams.stdout(showcaseUsage);
    return 0;
  }
  let options: ShowcaseOptions;
  try {
    options = parseShowcaseArgs(args);
  } catch (error) {
    streams.stderr(`${(error as Error).message}\n${showcaseUsage}`);
    return 2;
  }
  // Frames of suspended tasks are recorded only while introspection is on.
  const introspectionWasOn = isIntrospectionEnabled();
  if (options.tree) setIntrospection(true);
  try {
    await run(() => crawlProgram(options, streams));
    return 0;
  } catch (error) {
    if (error instanceof KeyboardInterrupt) return interruptedExitCode;
    throw error;
  } finally {
    setIntrospection(introspectionWasOn);
  }
}

/**
 * The main task: starts the server, crawls, and whatever happens (Ctrl-C cancels this task)
 * stops the helpers, closes the server and prints the report of what was done.
 */
function* crawlProgram(options: ShowcaseOptions, streams: ShowcaseStreams): Coro<void> {
  currentTask()!.setName('main');
  const loop = getRunningLoop();
  const tty = streams.isTTY === true;
  const server = yield* ensureFuture(startSiteServer(buildSite(options.pages), options));
  streams.stdout(
    `serving ${options.pages} pages at ${server.origin}, crawling with ${options.workers} workers\n`,
  );
  const stats = new CrawlStats();
  const start = loop.time();
  const helpers: Task<void>[] = [];
  if (options.progressMs > 0) {
    const progress = { write: streams.stdout, tty, everyMs: options.progressMs };
    helpers.push(createTask(showProgress(stats, progress), { name: 'progress' }));
  }
  if (options.tree) {
    const write = (text: string) => streams.stdout(tty ? `${eraseLine}${text}` : text);
    helpers.push(createTask(printTreeAfter(options.treeAfterMs, write), { name: 'tree' }));
  }
  let interrupted = false;
  try {
    const crawlOptions = { ...options, rootUrl: `${server.origin}${pagePath(0)}` };
    yield* crawl(crawlOptions, stats);
  } catch (error) {
    interrupted = error instanceof CancelledError;
    throw error;
  } finally {
    for (const helper of helpers) helper.cancel();
    // Let the helpers finish (the progress line erases itself) before the report.
    if (helpers.length > 0) yield* wait(helpers);
    const elapsedMs = loop.time() - start;
    yield* ensureFuture(server.close());
    streams.stdout(formatReport(stats, { interrupted, elapsedMs }));
    streams.stdout(
      `server closed after ${server.requests()} requests, ` +
        `${server.abortedByClient()} aborted by the client\n`,
    );
  }
}
