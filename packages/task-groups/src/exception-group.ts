/**
 * Several errors raised together (Python's `ExceptionGroup` / `BaseExceptionGroup`), with the
 * `subgroup` / `split` / `derive` methods that `except*` is built on.
 */
import { describeKind } from '@asyncio-ts/core-loop';

/** A class whose instances can be thrown and matched: `Error` or one of its subclasses. */
export type ErrorClass<T = Error> = abstract new (...args: any[]) => T;

/**
 * The leaf type a condition selects: the instances of its class (or classes), or all of `E` for
 * a predicate.
 */
export type Matched<C, E> = C extends readonly unknown[]
  ? InstanceOfEach<C[number]>
  : C extends ErrorClass
    ? InstanceOfEach<C>
    : E;

/**
 * The instance type of each class in a union of classes, read from `prototype`: the built-in
 * error constructors have several construct signatures, and inference would pick `Error`'s.
 */
export type InstanceOfEach<K> = K extends { readonly prototype: infer P } ? P : never;

/**
 * What {@link ExceptionGroup.subgroup} and {@link ExceptionGroup.split} match: an error class
 * (`instanceof`), an array of error classes (any of them), or a predicate called with every
 * error and every nested group, which matches on a truthy result.
 */
export type GroupCondition = ErrorClass | readonly ErrorClass[] | ((error: unknown) => unknown);

/**
 * Several unrelated errors raised together, as Python's `ExceptionGroup`: a TaskGroup raises one
 * holding every child's error. It is an `AggregateError` whose `errors` is the same frozen array
 * as `exceptions`; groups may nest.
 *
 * `message` is the bare message; `toString()` reads as Python's `str(eg)` with the name in
 * front, `"ExceptionGroup: message (2 sub-exceptions)"`, and {@link ExceptionGroup.formatTree}
 * shows every nested error.
 *
 * Unlike Python, the items may be any thrown value (a JavaScript `throw` is not limited to
 * errors), and there is no separate `BaseExceptionGroup`: `CancelledError` is an ordinary error
 * here.
 * @example
 * ```ts
 * import { ExceptionGroup } from '@asyncio-ts/task-groups';
 *
 * const group = new ExceptionGroup('two failed', [new TypeError('a'), new RangeError('b')]);
 * const [types, rest] = group.split(TypeError);
 * // types: ExceptionGroup('two failed', [TypeError('a')]); rest: ExceptionGroup('two failed', [RangeError('b')])
 * ```
 * @throws TypeError when `message` is not a string or `exceptions` is not an iterable;
 * RangeError when `exceptions` is empty.
 */
export class ExceptionGroup<E = unknown> extends AggregateError {
  static {
    Object.defineProperty(ExceptionGroup.prototype, 'name', {
      value: 'ExceptionGroup',
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }

  readonly #exceptions: readonly (E | ExceptionGroup<E>)[];

  constructor(
    message: string,
    exceptions: Iterable<E | ExceptionGroup<E>>,
    options?: ErrorOptions,
  ) {
    const items = Object.freeze(toExceptionList<E | ExceptionGroup<E>>(message, exceptions));
    super(items, message, options);
    this.#exceptions = items;
    // AggregateError copies the list: point `errors` at the one frozen array, read-only like
    // Python's fields, so both views always agree.
    Object.defineProperty(this, 'errors', {
      value: items,
      writable: false,
      configurable: true,
      enumerable: false,
    });
  }

  /**
   * The grouped errors, in order: leaves and nested groups. Frozen and read-only, the same
   * array as `errors` (a getter, so inspecting a group prints the list once).
   */
  get exceptions(): readonly (E | ExceptionGroup<E>)[] {
    return this.#exceptions;
  }

  /**
   * The errors that match `condition`, in a group of the same shape, or null when none does.
   * The group itself is returned when it matches as a whole (`subgroup(Error)`, or a predicate
   * true for it). Nested groups left empty are dropped; derived groups get this group's message,
   * `cause` and `stack`.
   * @throws TypeError when `condition` is not an error class, an array of them or a predicate.
   */
  subgroup<C extends GroupCondition>(condition: C): ExceptionGroup<Matched<C, E>> | null;
  subgroup(condition: GroupCondition): ExceptionGroup | null {
    const matches = toMatcher(condition);
    return splitRecursive(this, matches, false).match as ExceptionGroup | null;
  }

  /**
   * `[match, rest]`: the errors that match `condition` and those that do not, each in a group of
   * the same shape as this one, or null when empty. When the group matches as a whole the result
   * is `[this, null]`. Derived groups get this group's message, `cause` and `stack`.
   * @example
   * ```ts
   * const [timeouts, others] = group.split(TimeoutError);
   * ```
   * @throws TypeError when `condition` is not an error class, an array of them or a predicate.
   */
  split<C extends GroupCondition>(
    condition: C,
  ): [match: ExceptionGroup<Matched<C, E>> | null, rest: ExceptionGroup<E> | null];
  split(condition: GroupCondition): [ExceptionGroup | null, ExceptionGroup | null] {
    const matches = toMatcher(condition);
    const { match, rest } = splitRecursive(this, matches, true);
    return [match as ExceptionGroup | null, rest as ExceptionGroup | null];
  }

  /**
   * A new group with this group's message around `excs`: the hook {@link split} and
   * {@link subgroup} call to build their parts. A subclass overrides it to keep its own class
   * and fields; `cause` and `stack` are copied by the caller, not here.
   */
  derive<D>(excs: Iterable<D | ExceptionGroup<D>>): ExceptionGroup<D> {
    return new ExceptionGroup(this.message, excs);
  }

  /** Python's `str(eg)` after the name: `"ExceptionGroup: boom (2 sub-exceptions)"`. */
  override toString(): string {
    const count = this.exceptions.length;
    return `${this.name}: ${this.message} (${count} sub-exception${count > 1 ? 's' : ''})`;
  }

  /**
   * The whole tree, one error a line, nested groups indented under their parent:
   * ```
   * ExceptionGroup: outer (2 sub-exceptions)
   * ├─ TypeError: a
   * └─ ExceptionGroup: inner (1 sub-exception)
   *    └─ RangeError: b
   * ```
   */
  formatTree(): string {
    const lines = [this.toString()];
    appendChildren(lines, this, '');
    return lines.join('\n');
  }
}

/** @internal A condition made into a test of one error or group. */
export type Matcher = (error: unknown) => boolean;

interface SplitResult {
  match: unknown;
  rest: unknown;
}

function toExceptionList<E>(message: unknown, exceptions: unknown): E[] {
  if (typeof message !== 'string') {
    throw new TypeError(`first argument (message) must be a string, not ${describeKind(message)}`);
  }
  if (typeof exceptions === 'string') {
    throw new TypeError('second argument (exceptions) must be an iterable of errors, not a string');
  }
  if (typeof (exceptions as Iterable<E> | null)?.[Symbol.iterator] !== 'function') {
    throw new TypeError(
      `second argument (exceptions) must be an iterable, not ${describeKind(exceptions)}`,
    );
  }
  const items = Array.from(exceptions as Iterable<E>);
  if (items.length === 0) {
    throw new RangeError('second argument (exceptions) must be a non-empty sequence');
  }
  return items;
}

function isErrorClass(value: unknown): value is ErrorClass {
  return value === Error || (typeof value === 'function' && value.prototype instanceof Error);
}

function isClassSyntax(value: Function): boolean {
  return /^class\b/.test(Function.prototype.toString.call(value));
}

const BAD_CONDITION =
  'expected an error class, an array of error classes, or a predicate (a function that is not a class)';

/**
 * @internal As CPython's `get_matcher_type`: a class is matched with `instanceof`, any other
 * function is a predicate. A class that is not an error class is refused rather than called,
 * since calling a class constructor without `new` would throw from inside the split.
 */
export function toMatcher(condition: unknown): Matcher {
  if (isErrorClass(condition)) return (error) => error instanceof condition;
  if (Array.isArray(condition)) {
    if (!condition.every(isErrorClass)) throw new TypeError(BAD_CONDITION);
    const classes = condition as readonly ErrorClass[];
    return (error) => classes.some((cls) => error instanceof cls);
  }
  if (typeof condition === 'function' && !isClassSyntax(condition)) {
    const predicate = condition as (error: unknown) => unknown;
    return (error) => Boolean(predicate(error));
  }
  throw new TypeError(BAD_CONDITION);
}

/**
 * CPython's `exceptiongroup_split_recursive`: a node that matches goes whole into `match`, a leaf
 * that does not goes into `rest`, and a group that does not match as a whole is split child by
 * child and rebuilt on each side through `derive`.
 */
function splitRecursive(error: unknown, matches: Matcher, withRest: boolean): SplitResult {
  if (matches(error)) return { match: error, rest: null };
  if (!(error instanceof ExceptionGroup)) return { match: null, rest: withRest ? error : null };
  const matched: unknown[] = [];
  const rest: unknown[] = [];
  for (const child of error.exceptions) {
    const part = splitRecursive(child, matches, withRest);
    if (part.match !== null) matched.push(part.match);
    if (part.rest !== null) rest.push(part.rest);
  }
  return {
    match: deriveSubset(error, matched),
    rest: withRest ? deriveSubset(error, rest) : null,
  };
}

/** A derived group holding `excs`, with the original's `cause` and `stack`; null when empty. */
function deriveSubset(original: ExceptionGroup, excs: unknown[]): ExceptionGroup | null {
  if (excs.length === 0) return null;
  const derived: unknown = original.derive(excs);
  if (!(derived instanceof ExceptionGroup)) {
    throw new TypeError('derive must return an instance of ExceptionGroup');
  }
  copyOwnProperty(original, derived, 'stack');
  if (Object.hasOwn(original, 'cause')) copyOwnProperty(original, derived, 'cause');
  else delete (derived as { cause?: unknown }).cause;
  return derived;
}

function copyOwnProperty(from: object, to: object, key: 'stack' | 'cause'): void {
  Object.defineProperty(to, key, {
    value: (from as Record<string, unknown>)[key],
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

function describeLeaf(error: unknown): string {
  if (error instanceof Error) return String(error);
  return `${describeKind(error)}: ${String(error)}`;
}

function appendChildren(lines: string[], group: ExceptionGroup, indent: string): void {
  const last = group.exceptions.length - 1;
  group.exceptions.forEach((child, index) => {
    const isLast = index === last;
    lines.push(`${indent}${isLast ? '└─ ' : '├─ '}${describeLeaf(child)}`);
    if (child instanceof ExceptionGroup) {
      appendChildren(lines, child, `${indent}${isLast ? '   ' : '│  '}`);
    }
  });
}
