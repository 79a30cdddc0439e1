/**
 * Argument checks shared by the timeouts and waits, so each names its argument the same way.
 */
import { describeKind } from '@asyncio-ts/core-loop';
import { isAwaitableCollection } from '@asyncio-ts/tasks';

/**
 * Checks a deadline or delay argument: a number (Infinity included: no expiry) or null. `what`
 * names the argument in the message, as `timeout() delay`.
 */
export function checkTime(value: unknown, what: string): asserts value is number | null {
  if (value === null) return;
  if (typeof value !== 'number') {
    throw new TypeError(`${what} must be a number or null, got ${describeKind(value)}`);
  }
  if (Number.isNaN(value)) throw new RangeError(`${what} must not be NaN`);
}

/**
 * A `timeout` option of `fn` as milliseconds, or null for none: undefined, null and Infinity
 * (a timer that never fires is not armed).
 */
export function timeoutOption(timeout: unknown, fn: string): number | null {
  if (timeout === undefined) return null;
  checkTime(timeout, `${fn}() timeout`);
  return timeout === Number.POSITIVE_INFINITY ? null : timeout;
}

/**
 * The distinct members of `aws` (Python's `set(fs)`), after checking that it is a collection as
 * gather takes one; the message is CPython's `wait`'s.
 */
export function distinctInputs<A>(aws: Iterable<A>, collection: string): Set<A> {
  if (!isAwaitableCollection(aws)) {
    throw new TypeError(`expect ${collection} of futures, not ${describeKind(aws)}`);
  }
  return new Set(aws);
}
