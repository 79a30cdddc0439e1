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

/** Whether `fn` is a coroutine function (a `function*`). */
export function isCoroutineFunction(fn: unknown): fn is (...args: never[]) => Coro<unknown> {
  return fn instanceof GeneratorFunction;
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
