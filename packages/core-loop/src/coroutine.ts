/**
 * What counts as a coroutine: a generator object, or any object with `next`, `throw` and
 * `return` functions (a look-alike, as CPython accepts objects that implement the protocol).
 */
import type { Coro } from './future.js';

const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor;

/** Whether `value` is a coroutine object (what calling a `function*` returns). */
export function isCoroutine(value: unknown): value is Coro<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.next === 'function' && typeof v.throw === 'function' && typeof v.return === 'function'
  );
}

/** The mark {@link markCoroutineFunction} leaves on a function. */
const COROUTINE_FUNCTION: unique symbol = Symbol('asyncio-ts.coroutineFunction');

/**
 * Whether `fn` is a coroutine function: a `function*`, or a function marked with
 * {@link markCoroutineFunction}.
 */
export function isCoroutineFunction(fn: unknown): fn is (...args: never[]) => Coro<unknown> {
  return (
    fn instanceof GeneratorFunction ||
    (typeof fn === 'function' &&
      (fn as { [COROUTINE_FUNCTION]?: true })[COROUTINE_FUNCTION] === true)
  );
}

/**
 * Marks `fn`, a plain function that returns a coroutine object (a hand-written one, as
 * `sleep()` does), as a coroutine function, so that {@link isCoroutineFunction} says so and
 * error messages call it one (Python's `inspect.markcoroutinefunction`).
 * @returns `fn` itself.
 * @example
 * ```ts
 * import { isCoroutineFunction, markCoroutineFunction } from '@asyncio-ts/core-loop';
 * // A coroutine object written by hand: next, throw and return by the generator protocol.
 * const pause = markCoroutineFunction(() => new PauseCoroutine());
 * isCoroutineFunction(pause); // true
 * ```
 */
export function markCoroutineFunction<F extends (...args: never[]) => unknown>(fn: F): F {
  if (typeof fn !== 'function') {
    throw new TypeError(`markCoroutineFunction() expects a function, got ${describeKind(fn)}`);
  }
  Object.defineProperty(fn, COROUTINE_FUNCTION, { value: true });
  return fn;
}

/** How an error message names a value of the wrong kind: `number`, `null`, `function f`. */
export function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') {
    if (isCoroutineFunction(value)) return `coroutine function ${value.name || '<anonymous>'}`;
    return `function ${value.name || '<anonymous>'}`;
  }
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'object') {
    // A generator object's constructor has no name, and a hand-written coroutine's name is an
    // implementation detail: call both what they are here.
    if (isCoroutine(value)) return 'coroutine';
    return (value as object).constructor?.name || 'object';
  }
  return typeof value;
}
