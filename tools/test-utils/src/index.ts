/**
 * Fixtures shared by the tests of the packages built on @asyncio-ts/tasks (core-loop and tasks
 * keep their own: they cannot depend on a package that depends on them).
 */
import { type Awaitable, type Coro, getRunningLoop, VirtualTimeLoop } from '@asyncio-ts/core-loop';
import { run } from '@asyncio-ts/tasks';
import { expect } from 'vitest';

/**
 * Runs `main` with `run()` on a {@link VirtualTimeLoop} (the given one, else a new one), so
 * sleeps finish at once and `loop.time()` shows exactly the virtual time that passed.
 */
export function runVirtual<T>(
  main: Coro<T> | (() => Coro<T>),
  loop: VirtualTimeLoop = new VirtualTimeLoop(),
): Promise<T> {
  return run(main, { loopFactory: () => loop });
}

/** The running loop's clock. */
export function now(): number {
  return getRunningLoop().time();
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

/** What the promise rejects with. Fails the test when it resolves. */
export async function rejectionOf(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, and it resolved');
}

/** The class name and message of an error, for comparing whole arrays of outcomes. */
export function nameAndMessage(error: unknown): [string, string] {
  return [(error as Error).constructor.name, (error as Error).message];
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

/** A promise that resolves after one turn of the host's event loop. */
export function hostTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A coroutine that returns `value` without waiting. */
export function* returns<T>(value: T): Coro<T> {
  return value;
}

/** A coroutine that throws `error` without waiting. */
export function* fails(error: unknown): Coro<never> {
  throw error;
}

/** Waits until `future` is done by giving up the loop, without registering anything on it. */
export function* pollUntilDone(future: { done(): boolean }): Coro<void> {
  while (!future.done()) yield;
}

/**
 * A promise that a host timer resolves: while a task waits on it the loop has nothing ready, so
 * a VirtualTimeLoop would jump its clock to any timer still scheduled. Waiting on it shows that
 * no forgotten timer is left behind.
 */
export function hostTimer(ms = 5): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Gives up the loop `n` times (`await asyncio.sleep(0)` n times). */
export function* ticks(n = 1): Coro<void> {
  for (let i = 0; i < n; i++) yield;
}
