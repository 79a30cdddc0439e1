/**
 * What Python's `except* E` does to the error it catches, as a function: JavaScript has no
 * `except*`, so a `catch` block splits the error itself and rethrows what it does not handle.
 */
import {
  ExceptionGroup,
  type GroupCondition,
  type Matched,
  type Matcher,
  toMatcher,
} from './exception-group.js';

/**
 * Splits a caught error the way `except* condition` would: `[match, rest]`, where `match` is an
 * {@link ExceptionGroup} holding the errors that match (or null) and `rest` is what is left to
 * rethrow (or null).
 *
 * - An ExceptionGroup that matches as a whole is `[err, null]`; one that matches in part is
 *   split with {@link ExceptionGroup.split}, keeping its nesting, message and `cause`.
 * - A plain error that matches is wrapped, `[new ExceptionGroup('', [err]), null]`, so the
 *   handler always sees a group, as in Python.
 * - A plain error that does not match is `[null, err]`, the very same object.
 *
 * `condition` is an error class, an array of them, or a predicate (as for
 * {@link ExceptionGroup.split}); naming `ExceptionGroup` itself (or a subclass) is refused, as
 * Python refuses `except* ExceptionGroup`.
 * @example
 * ```ts
 * import { splitGroup, taskGroup } from '@asyncio-ts/task-groups';
 * import { TimeoutError } from '@asyncio-ts/core-loop';
 *
 * try {
 *   yield* taskGroup(function* (tg) { tg.createTask(fetchA()); tg.createTask(fetchB()); });
 * } catch (e) {
 *   const [timeouts, rest] = splitGroup(e, TimeoutError);
 *   if (timeouts) console.log(`${timeouts.exceptions.length} timed out`);
 *   if (rest) throw rest;
 * }
 * ```
 * @throws TypeError when `condition` is not an error class, an array of them or a predicate,
 * or names ExceptionGroup.
 */
export function splitGroup<C extends GroupCondition>(
  err: unknown,
  condition: C,
): [match: ExceptionGroup<Matched<C, unknown>> | null, rest: unknown];
export function splitGroup(
  err: unknown,
  condition: GroupCondition,
): [match: ExceptionGroup | null, rest: unknown] {
  refuseGroupClasses(condition);
  const matches: Matcher = toMatcher(condition);
  if (matches(err)) {
    return [err instanceof ExceptionGroup ? err : new ExceptionGroup('', [err]), null];
  }
  if (err instanceof ExceptionGroup) return err.split(condition);
  return [null, err];
}

/** CPython's `_PyEval_CheckExceptStarTypeValid`: a group class can only be caught whole. */
function refuseGroupClasses(condition: unknown): void {
  const classes = Array.isArray(condition) ? condition : [condition];
  for (const cls of classes) {
    if (
      cls === ExceptionGroup ||
      (cls as { prototype?: unknown })?.prototype instanceof ExceptionGroup
    ) {
      throw new TypeError(
        'catching ExceptionGroup with except* is not allowed. Use except instead.',
      );
    }
  }
}
