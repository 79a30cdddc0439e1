/**
 * gather: run awaitables concurrently and collect their results in order (Python's
 * `asyncio.gather` and its `_GatheringFuture`).
 */
import {
  type Awaitable,
  describeKind,
  type EventLoop,
  ensureFuture,
  Future,
  getEventLoop,
  isCoroutine,
  isFuture,
  loopCancelledError,
  type Runnable,
  tryGetRunningLoop,
} from '@asyncio-ts/core-loop';
import { currentTask } from './current-task.js';

/** What `yield*` on an awaitable (or `await` on a promise) gives. */
export type AwaitedValue<A> =
  A extends Awaitable<infer T> ? T : A extends PromiseLike<infer T> ? Awaited<T> : never;

/** One input of `gather`, `wait` or `asCompleted`. */
export type AwaitableLike<T = unknown> = Awaitable<T> | PromiseLike<T>;

type Results<A extends readonly unknown[]> = { -readonly [K in keyof A]: AwaitedValue<A[K]> };
type ResultsOrErrors<A extends readonly unknown[]> = {
  -readonly [K in keyof A]: AwaitedValue<A[K]> | unknown;
};

/**
 * The future `gather` returns. Cancelling it cancels every child that is not done; the
 * cancellation then reaches the awaiter even with `returnExceptions` (CPython's bpo-32684).
 */
export class GatheringFuture<T> extends Future<T> {
  readonly #children: readonly Future<unknown>[];
  /** Whether `cancel()` cancelled at least one child. */
  cancelRequested: boolean;

  constructor(children: readonly Future<unknown>[], loop: EventLoop) {
    super({ loop });
    this.#children = children;
    this.cancelRequested = false;
  }

  override cancel(msg?: string | null): boolean {
    if (this.done()) return false;
    let cancelledAny = false;
    for (const child of this.#children) {
      if (child.cancel(msg)) cancelledAny = true;
    }
    if (cancelledAny) this.cancelRequested = true;
    return cancelledAny;
  }
}

/** What one gather call tracks: its children, how many are done, and its outer future. */
class Gathering {
  readonly children: Future<unknown>[] = [];
  readonly returnExceptions: boolean;
  /** How many completions to wait for: one per distinct coroutine, one per future's place. */
  watched = 0;
  finished = 0;
  outer: GatheringFuture<unknown[]> | null = null;
  /** The task that called gather: it awaits each child, for call graphs. */
  readonly awaiter: Future<unknown> | null;

  constructor(returnExceptions: boolean, awaiter: Future<unknown> | null) {
    this.returnExceptions = returnExceptions;
    this.awaiter = awaiter;
  }

  childDone(child: Future<unknown>): void {
    this.finished++;
    if (this.awaiter !== null) child._discardAwaitedBy(this.awaiter);
    const outer = this.outer;
    if (outer === null || outer.done()) {
      // Mark the child's exception as retrieved: the outer future already settled.
      if (!child.cancelled()) child.exception();
      return;
    }
    if (!this.returnExceptions) {
      if (child.cancelled()) {
        outer.setException(child._makeCancelledError());
        return;
      }
      const exc = child.exception();
      if (exc !== null) {
        outer.setException(exc);
        return;
      }
    }
    if (this.finished === this.watched) {
      const results = this.children.map(outcomeOf);
      if (outer.cancelRequested) outer.setException(child._makeCancelledError());
      else outer.setResult(results);
    }
  }
}

/** A child's result, its error, or a CancelledError with its cancel message. */
function outcomeOf(child: Future<unknown>): unknown {
  if (child.cancelled()) return loopCancelledError(child._cancelMessage ?? '');
  const exc = child.exception();
  return exc === null ? child.result() : exc;
}

/**
 * Queued by a child when it is done: one small object per child instead of a done callback,
 * its context and a Handle.
 */
class ChildWaiter implements Runnable {
  readonly #gathering: Gathering;
  readonly #child: Future<unknown>;

  constructor(gathering: Gathering, child: Future<unknown>) {
    this.#gathering = gathering;
    this.#child = child;
  }

  _run(): void {
    try {
      this.#gathering.childDone(this.#child);
    } catch (exc) {
      this.#child.getLoop().callExceptionHandler({
        message: 'Exception in gather() child callback',
        exception: exc,
        future: this.#child,
      });
    }
  }

  toString(): string {
    return 'gather.childDone()';
  }
}

/**
 * Whether `aws` is a collection of awaitables as `gather`, `wait` and `asCompleted` take one: an
 * array, or another iterable that is neither a future nor a coroutine object.
 */
export function isAwaitableCollection(aws: unknown): aws is Iterable<unknown> {
  if (Array.isArray(aws)) return true;
  return (
    aws !== null &&
    typeof aws === 'object' &&
    !isFuture(aws) &&
    !isCoroutine(aws) &&
    typeof (aws as Iterable<unknown>)[Symbol.iterator] === 'function'
  );
}

/** Checks that `aws` is a collection, not a single awaitable, and makes it an array. */
export function toAwaitableArray(aws: unknown, fn: string): unknown[] {
  if (Array.isArray(aws)) return aws;
  if (!isAwaitableCollection(aws)) {
    throw new TypeError(
      `${fn}() expects an array (or iterable) of awaitables, got ${describeKind(aws)}`,
    );
  }
  return [...aws];
}

/**
 * Runs `aws` concurrently (coroutines become tasks) and settles with their results in the same
 * order. The first error settles it with that error unless `returnExceptions`, in which case
 * errors take their place in the results. Cancelling the gather cancels the children.
 * @example
 * ```ts
 * function* main() {
 *   const [a, b] = yield* gather([sleep(100, 'a'), sleep(200, 'b')]); // after 200 ms
 * }
 * ```
 * @throws TypeError when `aws` is not an array or iterable of awaitables.
 */
export function gather<const A extends readonly AwaitableLike[]>(
  aws: A,
  options?: { returnExceptions?: false },
): Future<Results<A>>;
export function gather<const A extends readonly AwaitableLike[]>(
  aws: A,
  options: { returnExceptions: boolean },
): Future<ResultsOrErrors<A>>;
/** Any other iterable (a Set, a generator of tasks): the results come as an array. */
export function gather<T>(
  aws: Iterable<AwaitableLike<T>>,
  options?: { returnExceptions?: false },
): Future<T[]>;
export function gather<T>(
  aws: Iterable<AwaitableLike<T>>,
  options: { returnExceptions: boolean },
): Future<(T | unknown)[]>;
export function gather(
  aws: Iterable<AwaitableLike>,
  options?: { returnExceptions?: boolean },
): Future<unknown[]> {
  const inputs = toAwaitableArray(aws, 'gather');
  const returnExceptions = options?.returnExceptions === true;
  if (inputs.length === 0) {
    const outer = getEventLoop().createFuture<unknown[]>();
    outer.setResult([]);
    return outer;
  }
  const runningLoop = tryGetRunningLoop();
  const gathering = new Gathering(
    returnExceptions,
    runningLoop === null ? null : currentTask(runningLoop),
  );
  // A coroutine or promise that appears twice must become one child, so those are looked up;
  // a future that appears twice is simply watched twice (both watchers count), which needs no
  // lookup table for the common case, a list of tasks.
  let wrapped: Map<unknown, Future<unknown>> | null = null;
  const doneAlready: Future<unknown>[] = [];
  // The loop of the first child, which every other child must share; one options object.
  let sameLoop: { loop: EventLoop } | undefined;
  for (const input of inputs) {
    let child: Future<unknown> | undefined;
    if (isFuture(input)) {
      child = ensureFuture(input, sameLoop);
    } else {
      wrapped ??= new Map();
      child = wrapped.get(input);
      if (child !== undefined) {
        gathering.children.push(child);
        continue;
      }
      child = ensureFuture(input as AwaitableLike, sameLoop);
      wrapped.set(input, child);
    }
    sameLoop ??= { loop: child.getLoop() };
    gathering.watched++;
    if (child.done()) doneAlready.push(child);
    else {
      if (gathering.awaiter !== null) child._addAwaitedBy(gathering.awaiter);
      child.addWaiter(new ChildWaiter(gathering, child));
    }
    gathering.children.push(child);
  }
  const outer = new GatheringFuture<unknown[]>(gathering.children, sameLoop!.loop);
  gathering.outer = outer;
  // Children that finished eagerly are counted now that `outer` exists.
  for (const child of doneAlready) gathering.childDone(child);
  return outer;
}
