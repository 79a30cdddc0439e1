/**
 * aiter: reading an AsyncIterable (a Node stream, `readline`, an async generator) from a
 * coroutine, where `for await` has no generator form.
 */
import {
  type Coro,
  describeKind,
  type Future,
  getEventLoop,
  wrapFuture,
} from '@asyncio-ts/core-loop';

/** An iterator whose `next()` is a coroutine. */
export interface CoroIterator<T> {
  /** The next item; a wait that is cancelled loses no item (the next call gets it). */
  next(): Coro<IteratorResult<T, undefined>>;
  /** Ends the source's iteration early (calls its `return()`). */
  return(): Coro<void>;
}

/**
 * Wraps `source` so a coroutine can read it: `const r = yield* it.next()` until `r.done`.
 * When the task waiting in `next()` is cancelled, the item that arrives later is kept for the
 * following `next()`. One task reads at a time: two tasks calling `next()` at once would be
 * handed the same item.
 * @example
 * ```ts
 * function* main() {
 *   const lines = aiter(readline.createInterface({ input: fs.createReadStream('a.txt') }));
 *   for (let r = yield* lines.next(); !r.done; r = yield* lines.next()) console.log(r.value);
 * }
 * ```
 */
export function aiter<T>(source: AsyncIterable<T>): CoroIterator<T> {
  if (typeof (source as AsyncIterable<T> | null)?.[Symbol.asyncIterator] !== 'function') {
    throw new TypeError(`aiter() expects an AsyncIterable, got ${describeKind(source)}`);
  }
  const iterator = source[Symbol.asyncIterator]();
  // The read in flight: it survives a cancelled wait, so its item is not lost.
  let inFlight: Promise<IteratorResult<T, undefined>> | null = null;
  let finished = false;
  return {
    *next(): Coro<IteratorResult<T, undefined>> {
      if (finished) return { value: undefined, done: true };
      inFlight ??= Promise.resolve(iterator.next()) as Promise<IteratorResult<T, undefined>>;
      const future: Future<IteratorResult<T, undefined>> = wrapFuture(inFlight, {
        loop: getEventLoop(),
      });
      let result: IteratorResult<T, undefined>;
      try {
        result = yield* future;
      } catch (error) {
        // A failed read is over: the next call asks the source again. Only a cancelled wait
        // keeps the read in flight for the following next().
        if (!future.cancelled()) inFlight = null;
        throw error;
      }
      inFlight = null;
      if (result.done === true) finished = true;
      return result;
    },
    *return(): Coro<void> {
      if (finished) return;
      finished = true;
      inFlight = null;
      if (typeof iterator.return === 'function') {
        yield* wrapFuture(Promise.resolve(iterator.return()), { loop: getEventLoop() });
      }
    },
  };
}
