/**
 * Shared fixtures for the tests of @asyncio-ts/sync-primitives.
 */
import { type Awaitable, type Coro, VirtualTimeLoop } from '@asyncio-ts/core-loop';
import { run } from '@asyncio-ts/tasks';
import { expect } from 'vitest';

/**
 * Runs `main` with `run()` on a {@link VirtualTimeLoop} (the given one, else a new one), so
 * sleeps finish at once and no test depends on the wall clock.
 */
export function runVirtual<T>(
  main: Coro<T> | (() => Coro<T>),
  loop: VirtualTimeLoop = new VirtualTimeLoop(),
): Promise<T> {
  return run(main, { loopFactory: () => loop });
}

/** Gives up the loop `n` times (`await asyncio.sleep(0)` n times). */
export function* ticks(n = 1): Coro<void> {
  for (let i = 0; i < n; i++) yield;
}

/** What `fn()` throws. Fails the test when it throws nothing. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, and it returned');
}

/** What awaiting `aw` throws, inside a coroutine. Fails the test when it succeeds. */
export function* thrownByAwaiting(aw: Awaitable<unknown>): Coro<unknown> {
  try {
    yield* aw;
  } catch (error) {
    return error;
  }
  throw new Error('expected the awaitable to throw, and it returned');
}

/** Asserts that `error` is exactly of class `cls` (not a subclass) and has `message`. */
export function expectError(
  error: unknown,
  cls: abstract new (...args: never[]) => Error,
  message: string,
): void {
  expect(error).toBeInstanceOf(cls);
  expect([(error as Error).constructor, (error as Error).message]).toEqual([cls, message]);
}

/** The class name and message of an error, for comparing whole arrays of outcomes. */
export function nameAndMessage(error: unknown): [string, string] {
  return [(error as Error).constructor.name, (error as Error).message];
}

/** A promise that a host timer resolves: the loop sits idle (nothing ready) until then. */
export function hostTimer(ms = 1): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
