/**
 * The crawl itself: worker tasks in a TaskGroup take URLs from a Queue, fetch each page under a
 * timeout, hash its body on a worker thread (at most a few at once, under a Semaphore) and queue
 * the links they have not seen.
 */
import { toThread } from '@asyncio-ts/threads';
import { type Coro, Queue, QueueShutDown, Semaphore, taskGroup } from 'asyncio-ts';
import { fetchPage } from './fetch-page.js';
import type { CrawlStats } from './stats.js';

/** Options of {@link crawl}. */
export interface CrawlOptions {
  /** The page to start from, e.g. `http://127.0.0.1:8080/page/0`. */
  readonly rootUrl: string;
  /** How many worker tasks fetch at once. */
  readonly workers: number;
  /** How long one request may take, in ms. */
  readonly timeoutMs: number;
  /** How many hashing jobs may run on worker threads at once. */
  readonly hashSlots: number;
  /** The SHA-256 rounds over each body. */
  readonly hashRounds: number;
}

/** The hashing function, as a module worker threads import (the built `hash-body.js`). */
const hashBodyRef = { module: new URL('./hash-body.js', import.meta.url), export: 'hashBody' };

const linkPattern = /href="([^"]+)"/g;

/**
 * Crawls every page reachable from `options.rootUrl` on its origin, counting into `stats`.
 * Ends when the queue is drained: every found page was fetched, failed or timed out. Cancelling
 * it cancels the workers, which aborts their requests and drops their hashing jobs.
 * @example
 * ```ts
 * const stats = new CrawlStats();
 * yield* crawl({ rootUrl, workers: 8, timeoutMs: 1000, hashSlots: 2, hashRounds: 2000 }, stats);
 * console.log(stats.ok, stats.failed);
 * ```
 */
export function* crawl(options: CrawlOptions, stats: CrawlStats): Coro<void> {
  const queue = new Queue<string>();
  const seen = new Set<string>();
  const hashing = new Semaphore(options.hashSlots);
  const origin = new URL(options.rootUrl).origin;
  const found = (url: string): void => {
    if (seen.has(url) || new URL(url).origin !== origin) return;
    seen.add(url);
    stats.found++;
    queue.putNowait(url);
  };
  found(options.rootUrl);

  function* visit(url: string): Coro<void> {
    const outcome = yield* fetchPage(url, options.timeoutMs);
    if (outcome.kind === 'timed out') {
      stats.timedOut++;
      return;
    }
    if (outcome.kind === 'failed') {
      stats.fail(outcome.reason);
      return;
    }
    for (const [, href] of outcome.body.matchAll(linkPattern)) {
      found(new URL(href!, url).href);
    }
    yield* hashing.with(function* () {
      yield* toThread<string>(hashBodyRef, outcome.body, options.hashRounds);
    });
    stats.hashes++;
    stats.ok++;
    stats.bytes += Buffer.byteLength(outcome.body);
  }

  function* worker(): Coro<void> {
    while (true) {
      let url: string;
      try {
        url = yield* queue.get();
      } catch (error) {
        if (error instanceof QueueShutDown) return; // the crawl is over
        throw error;
      }
      stats.inProgress++;
      try {
        yield* visit(url);
      } finally {
        stats.inProgress--;
        queue.taskDone();
      }
    }
  }

  yield* taskGroup(function* (tg) {
    for (let number = 1; number <= options.workers; number++) {
      tg.createTask(worker(), { name: `worker-${number}` });
    }
    yield* queue.join();
    // Every found page is done: wake the idle workers with QueueShutDown so they return.
    queue.shutdown();
  });
}
