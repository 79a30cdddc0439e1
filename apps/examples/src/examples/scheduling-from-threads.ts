/**
 * Scheduling from other threads: code on a worker thread calls a coroutine that runs on the main
 * loop, and blocks for its result, with `runCoroutineThreadsafe`. This is how CPU-bound work in a
 * worker uses async services the loop owns (a connection pool, an HTTP client).
 *
 * ```python
 * # Create a coroutine
 * coro = asyncio.sleep(1, result=3)
 *
 * # Submit the coroutine to a given loop
 * future = asyncio.run_coroutine_threadsafe(coro, loop)
 *
 * # Wait for the result with an optional timeout argument
 * assert future.result(timeout) == 3
 * ```
 *
 * A coroutine cannot cross threads, so the worker names the coroutine function by its module and
 * export, `{ module, export }`, and the loop's thread imports it and runs it as a Task.
 */

import { type FunctionRef, type JobScope, toThread } from '@asyncio-ts/threads';
import { type Coro, sleep } from 'asyncio-ts';
import type { Output } from '../output.js';

const PRICES: Record<string, number> = { apple: 1.25, pear: 0.5, plum: 2 };

/** Where the loop side prints: the `out` of the running example. */
let loopOut: Output | null = null;

/** An async service on the main loop: looking a price up takes 100 ms. */
export function* fetchPrice(item: string): Coro<number> {
  loopOut?.print(`loop: looking up ${item}`);
  yield* sleep(100);
  return PRICES[item] ?? Number.NaN;
}

/**
 * Runs on a worker thread: for each item, asks the main loop for its price and blocks until it
 * has it (at most 5 s), then adds them up. A `function` (not an arrow) gets the job scope as
 * `this`, whose `runCoroutineThreadsafe` reaches the loop that submitted the job.
 */
function priceList(this: JobScope, items: string[], service: FunctionRef): string {
  let total = 0;
  for (const item of items) {
    const future = this.runCoroutineThreadsafe<number>(service, item);
    total += future.result(5_000);
  }
  return `${items.length} items cost ${total.toFixed(2)}`;
}

export function* main(out: Output): Coro<void> {
  loopOut = out;
  try {
    out.print('asking a worker thread for the price list');
    const service: FunctionRef = { module: import.meta.url, export: 'fetchPrice' };
    const summary = yield* toThread(priceList, ['apple', 'pear', 'plum'], service);
    out.print(`worker: ${summary}`);
  } finally {
    loopOut = null;
  }
}
