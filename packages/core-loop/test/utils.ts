/**
 * Shared fixtures for the tests of @asyncio-ts/core-loop. Nothing here needs Tasks: coroutines
 * are driven by hand, and loops run through `runForever` / `runUntilComplete` of futures.
 */
import { expect } from 'vitest';
import type { EventLoop, ExceptionContext } from '../src/index.js';

/** What `fn()` throws. Fails the test when it throws nothing. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, and it returned');
}

/** What `promise` rejects with. Fails the test when it fulfils. */
export async function rejectionOf(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, and it fulfilled');
}

/** Asserts that `error` is an instance of `kind` (not a subclass) with exactly `message`. */
export function expectError(
  error: unknown,
  kind: new (...args: never[]) => Error,
  message: string,
): void {
  expect(error).toBeInstanceOf(kind);
  expect((error as Error).constructor).toBe(kind);
  expect((error as Error).message).toBe(message);
}

/** Asserts that `fn()` throws an error of exactly `kind` with exactly `message`. */
export function expectThrows(
  fn: () => unknown,
  kind: new (...args: never[]) => Error,
  message: string,
): void {
  expectError(thrownBy(fn), kind, message);
}

/**
 * Runs one iteration of `loop`: `stop()` before `runForever()` lets exactly the handles that
 * are ready now (and the timers that are due) run, as CPython's `run_once` test helper.
 */
export function runOnce(loop: EventLoop): Promise<void> {
  loop.stop();
  return loop.runForever();
}

/** Installs an exception handler on `loop` that records every context it receives. */
export function captureExceptions(loop: EventLoop): ExceptionContext[] {
  const seen: ExceptionContext[] = [];
  loop.setExceptionHandler((_loop, context) => {
    seen.push(context);
  });
  return seen;
}

/** One turn of the host's event loop. */
export function hostTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Forces collections and host turns until `until()` holds, at most `turns` times.
 * @returns whether `until()` held.
 */
export async function collectUntil(until: () => boolean, turns = 50): Promise<boolean> {
  // Exposed by vitest.config.ts (`--expose-gc`).
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('run node with --expose-gc (see vitest.config.ts)');
  for (let i = 0; i < turns; i++) {
    gc();
    await hostTurn();
    if (until()) return true;
  }
  return false;
}

/** Spins the thread for `ms`: a callback that is slow on purpose. */
export function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}
