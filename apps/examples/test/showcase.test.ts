import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Coro, createTask, run, sleep, VirtualTimeLoop } from 'asyncio-ts';
import { describe, expect, it } from 'vitest';
import { cli } from '../src/cli.js';
import { findExample } from '../src/registry.js';
import { defaultOptions, parseShowcaseArgs } from '../src/showcase/options.js';
import { eraseLine, progressText, showProgress } from '../src/showcase/progress.js';
import { formatReport } from '../src/showcase/report.js';
import { buildSite, missingPath, pageHtml, pageKind, pagePath } from '../src/showcase/site.js';
import { CrawlStats } from '../src/showcase/stats.js';

const mainJs = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** The error `fn` throws, checked to be exactly of class `errorClass` with `message`. */
function expectThrown(fn: () => unknown, errorClass: new () => Error, message: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(errorClass);
  expect((thrown as Error).constructor).toBe(errorClass);
  expect((thrown as Error).message).toBe(message);
}

/**
 * What a crawl of a site of `count` pages must end with, worked out from the site alone: a walk
 * from the root that follows the links of the pages that answer (slow pages answer within the
 * test's timeout), counting the others by how they fail.
 */
function expectedCrawl(count: number) {
  const site = buildSite(count);
  const seen = new Set([pagePath(0)]);
  const toVisit = [pagePath(0)];
  const counts = { ok: 0, http500: 0, http404: 0, reset: 0, timedOut: 0, bytes: 0 };
  while (toVisit.length > 0) {
    const path = toVisit.shift()!;
    if (path === missingPath) {
      counts.http404++;
      continue;
    }
    const page = site.pages[Number(path.slice('/page/'.length))]!;
    if (page.kind === 'error') counts.http500++;
    else if (page.kind === 'reset') counts.reset++;
    else if (page.kind === 'hang') counts.timedOut++;
    else {
      counts.ok++;
      counts.bytes += Buffer.byteLength(pageHtml(page));
      for (const link of page.links) {
        if (!seen.has(link)) {
          seen.add(link);
          toVisit.push(link);
        }
      }
    }
  }
  return { ...counts, found: seen.size };
}

describe('the site', () => {
  it('places slow, failing, resetting and hanging pages in a fixed pattern', () => {
    const kinds = buildSite(30).pages.map((page) => page.kind);
    expect(kinds.flatMap((kind, index) => (kind === 'ok' ? [] : [`${index} ${kind}`]))).toEqual([
      '3 slow',
      '5 error',
      '11 reset',
      '13 slow',
      '22 error',
      '23 slow',
    ]);
    expect([pageKind(42), pageKind(34), pageKind(0)]).toEqual(['hang', 'reset', 'ok']);
  });

  it('links each page to its three children, the root, the page 7 on, every 8th to /missing', () => {
    const site = buildSite(30);
    expect(site.pages[7]!.links).toEqual([
      '/page/22',
      '/page/23',
      '/page/24',
      '/page/0',
      '/page/14',
      '/missing',
    ]);
    expect(site.pages[0]!.links).toEqual(['/page/1', '/page/2', '/page/3', '/page/0', '/page/7']);
    expect(site.pages[29]!.links).toEqual(['/page/0']);
  });

  it('refuses a site of no pages', () => {
    expectThrown(
      () => buildSite(0),
      RangeError,
      'a site needs a whole number of pages, at least 1, got 0',
    );
  });
});

describe('the options', () => {
  it('reads every flag over the defaults', () => {
    expect(parseShowcaseArgs([])).toEqual(defaultOptions);
    expect(
      parseShowcaseArgs(['--pages', '50', '--workers', '3', '--tree', '--progress-ms', '0']),
    ).toEqual({ ...defaultOptions, pages: 50, workers: 3, tree: true, progressMs: 0 });
  });

  it('names the flag that is unknown or lacks a whole number', () => {
    expectThrown(() => parseShowcaseArgs(['--fast']), RangeError, 'unknown crawl option: --fast');
    expectThrown(
      () => parseShowcaseArgs(['--workers', '0']),
      RangeError,
      '--workers needs a whole number of at least 1, got 0',
    );
    expectThrown(
      () => parseShowcaseArgs(['--timeout-ms']),
      RangeError,
      '--timeout-ms needs a whole number of at least 1, got nothing',
    );
  });

  it('makes the CLI exit with 2 and the usage on a bad flag, 0 with the usage on --help', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const streams = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) };
    expect(await cli(['--', 'crawl', '--pages', '1.5'], streams)).toBe(2);
    expect(err.join('')).toMatch(/^--pages needs a whole number of at least 1, got 1\.5\nusage: /);
    expect(out).toEqual([]);
    expect(await cli(['crawl', '--help'], streams)).toBe(0);
    expect(out.join('')).toMatch(/^usage: asyncio-ts-examples crawl \[options\]\n/);
  });

  it('is not one of the examples run by default', () => {
    expect(findExample('crawl')).toBeUndefined();
  });
});

function statsOf(
  values: Partial<Record<'ok' | 'timedOut' | 'bytes' | 'hashes' | 'found' | 'inProgress', number>>,
  failed: [string, number][] = [],
): CrawlStats {
  const stats = Object.assign(new CrawlStats(), values);
  for (const [reason, count] of failed) for (let i = 0; i < count; i++) stats.fail(reason);
  return stats;
}

describe('the report and the progress line', () => {
  it('reports every count, failures by reason in alphabetical order', () => {
    const stats = statsOf({ ok: 7, timedOut: 1, bytes: 5120, hashes: 7, found: 12 }, [
      ['connection reset', 1],
      ['HTTP 500', 2],
    ]);
    expect(formatReport(stats, { interrupted: true, elapsedMs: 1234.5 })).toBe(
      [
        'crawl report (interrupted by Ctrl-C)',
        '  pages ok:           7',
        '  failed:             3',
        '    HTTP 500:         2',
        '    connection reset: 1',
        '  timed out:          1',
        '  not fetched:        1',
        '  bytes:              5120',
        '  hashes done:        7',
        '  elapsed:            1.23 s',
        '',
      ].join('\n'),
    );
  });

  it('says how far the crawl is in one line', () => {
    const stats = statsOf({ ok: 3, bytes: 3584, hashes: 2, found: 9, inProgress: 4 }, [
      ['HTTP 500', 1],
    ]);
    expect(progressText(stats)).toBe(
      '4/9 pages done (ok 3, failed 1, timed out 0), 4 in progress, 3.5 KiB, 2 hashed',
    );
  });

  /** Runs showProgress for 250 ms of virtual time, counting one page ok every 100 ms. */
  async function progressWrites(tty: boolean): Promise<string[]> {
    const written: string[] = [];
    const stats = new CrawlStats();
    await run(
      function* (): Coro<void> {
        const progress = createTask(
          showProgress(stats, { write: (text) => written.push(text), tty, everyMs: 100 }),
        );
        for (let page = 0; page < 2; page++) {
          yield* sleep(100);
          stats.ok++;
          stats.found++;
        }
        yield* sleep(50);
        progress.cancel();
        yield* sleep(0);
      },
      { loopFactory: () => new VirtualTimeLoop() },
    );
    return written;
  }

  it('redraws one line in place on a terminal and erases it when stopped', async () => {
    const line = (done: number) =>
      `${eraseLine}${done}/${done} pages done (ok ${done}, failed 0, timed out 0), 0 in progress, 0.0 KiB, 0 hashed`;
    expect(await progressWrites(true)).toEqual([line(0), line(1), line(2), eraseLine]);
  });

  it('writes plain lines elsewhere', async () => {
    const line = (done: number) =>
      `progress: ${done}/${done} pages done (ok ${done}, failed 0, timed out 0), 0 in progress, 0.0 KiB, 0 hashed\n`;
    expect(await progressWrites(false)).toEqual([line(0), line(1), line(2)]);
  });
});

/** Starts `node dist/main.js crawl ...args`, collecting its output. */
function startCrawl(args: string[]): {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
} {
  const child = spawn(process.execPath, [mainJs, 'crawl', ...args], { stdio: 'pipe' });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output, exited };
}

describe('the crawl, end to end against its own server', () => {
  // 50 pages; slow pages take 50 ms, under the 300 ms timeout; the hanging page times out.
  const smallSite = [
    '--pages',
    '50',
    '--slow-ms',
    '50',
    '--timeout-ms',
    '300',
    '--hash-rounds',
    '100',
  ];

  it('reports every page of the site by how it answered', () => {
    const result = spawnSync(
      process.execPath,
      [mainJs, 'crawl', ...smallSite, '--progress-ms', '0'],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect([result.status, result.stderr]).toEqual([0, '']);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^serving 50 pages at http:\/\/127\.0\.0\.1:\d+, crawling with 8 workers$/,
    );
    expect(lines.slice(1)).toEqual([
      'crawl report',
      '  pages ok:           43',
      '  failed:             6',
      '    HTTP 404:         1',
      '    HTTP 500:         3',
      '    connection reset: 2',
      '  timed out:          1',
      '  not fetched:        0',
      '  bytes:              30286',
      '  hashes done:        43',
      expect.stringMatching(/^ {2}elapsed: {12}\d+\.\d\d s$/),
      // 49 pages and /missing: page 18's only ways in are page 5 (a 500) and page 11 (a reset).
      // The hanging page's request was really aborted at its timeout: the server saw it go.
      'server closed after 50 requests, 1 aborted by the client',
    ]);
    // The same counts, worked out from the site without crawling it.
    expect(expectedCrawl(50)).toEqual({
      ok: 43,
      http500: 3,
      http404: 1,
      reset: 2,
      timedOut: 1,
      bytes: 30286,
      found: 50,
    });
  });

  it('stops on Ctrl-C: workers cancelled, a partial report, the server closed, exit code 130', async () => {
    // Slow pages answer after 5 s, so at the interrupt workers wait on them.
    const crawl = startCrawl([
      '--pages',
      '200',
      '--slow-ms',
      '5000',
      '--timeout-ms',
      '8000',
      '--progress-ms',
      '50',
    ]);
    await new Promise<void>((resolve) => {
      const check = () => {
        if ((crawl.output.stdout.match(/^progress: /gm) ?? []).length >= 4) resolve();
        else setTimeout(check, 20);
      };
      check();
    });
    const interruptedAt = Date.now();
    crawl.child.kill('SIGINT');
    const exit = await crawl.exited;
    expect(Date.now() - interruptedAt).toBeLessThan(3000);
    expect(exit).toEqual({ code: 130, signal: null });
    expect(crawl.output.stderr).toBe('');
    const report = crawl.output.stdout.slice(crawl.output.stdout.indexOf('crawl report'));
    const count = (label: string) =>
      Number(new RegExp(`^ {2}${label}: +(\\d+)$`, 'm').exec(report)![1]);
    expect(report.split('\n')[0]).toBe('crawl report (interrupted by Ctrl-C)');
    expect(count('not fetched')).toBeGreaterThan(0);
    expect(count('pages ok')).toBeLessThan(200);
    expect(count('hashes done')).toBe(count('pages ok'));
    // The requests in flight were aborted by the cancelled workers, page 3 (slow) at least.
    const closed = /\nserver closed after (\d+) requests, (\d+) aborted by the client\n$/.exec(
      report,
    );
    expect(closed).not.toBeNull();
    expect(Number(closed![2])).toBeGreaterThanOrEqual(1);
    // Nothing is printed after the report: the progress task was stopped first.
    expect(report).not.toContain('progress: ');
  });

  it('--tree prints the task tree mid-run: main awaiting each worker task', () => {
    const result = spawnSync(
      process.execPath,
      [
        mainJs,
        'crawl',
        ...smallSite,
        '--workers',
        '3',
        '--tree',
        '--tree-after-ms',
        '100',
        '--progress-ms',
        '0',
        '--slow-ms',
        '400',
        '--timeout-ms',
        '600',
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect([result.status, result.stderr]).toEqual([0, '']);
    const lines = result.stdout.split('\n');
    const start = lines.indexOf('task tree after 100 ms:');
    expect(start).toBe(1);
    const tree = lines.slice(start + 1, lines.indexOf('crawl report'));
    const taskLines = tree.filter((line) => line.includes('(T) '));
    expect(taskLines.map((line) => line.replace(/^[\s│├└─]+/, ''))).toEqual([
      '(T) main',
      '(T) worker-1',
      '(T) worker-2',
      '(T) worker-3',
      '(T) tree',
    ]);
    // The workers hang under main's frames (where its task group waits), deeper than main.
    const depth = (line: string) => line.search(/\(T\)/);
    expect(depth(taskLines[1]!)).toBeGreaterThan(depth(taskLines[0]!));
    expect(tree.some((line) => /crawl .*crawler\.js:\d+$/.test(line))).toBe(true);
    expect(tree.some((line) => /worker .*crawler\.js:\d+$/.test(line))).toBe(true);
  });
});
