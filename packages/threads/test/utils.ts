/**
 * Fixtures for the tests of @asyncio-ts/threads: the shared ones, and those of this package.
 * The tests use the built package (dist), because worker threads load plain JavaScript.
 */
import type { FunctionRef } from '../dist/index.js';

export * from '@asyncio-ts/test-utils';

/** A function exported by a module in test/fixtures. */
export function fixture(file: string, exportName: string): FunctionRef {
  return { module: new URL(`./fixtures/${file}`, import.meta.url), export: exportName };
}

/** Loop-side coroutine functions (test/fixtures/loop-services.mjs). */
export function service(exportName: string): FunctionRef {
  return fixture('loop-services.mjs', exportName);
}

/** Worker-side job functions (test/fixtures/worker-jobs.mjs). */
export function job(exportName: string): FunctionRef {
  return fixture('worker-jobs.mjs', exportName);
}

/** A gate a worker waits on (Atomics.wait) until the test opens it. */
export class Gate {
  readonly words = new Int32Array(new SharedArrayBuffer(8));

  open(): void {
    Atomics.store(this.words, 0, 1);
    Atomics.notify(this.words, 0);
  }

  /** How many jobs passed through the gate (jobs count themselves in word 1). */
  get passed(): number {
    return Atomics.load(this.words, 1);
  }
}

/** A self-contained job: waits until `words` is opened, counts itself, returns `value`. */
export function waitAtGate<T>(words: Int32Array, value: T): T {
  Atomics.wait(words, 0, 0);
  Atomics.add(words, 1, 1);
  return value;
}

/** A self-contained job: counts itself in word 1 and returns `value` at once. */
export function countAndReturn<T>(words: Int32Array, value: T): T {
  Atomics.add(words, 1, 1);
  return value;
}
