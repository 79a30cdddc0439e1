/**
 * Turning any awaitable into a Future (Python's `asyncio.ensure_future`).
 */
import { describeKind, isCoroutine } from './coroutine.js';
import type { EventLoop } from './event-loop.js';
import { type Awaitable, type Coro, type Future, isFuture } from './future.js';
import { getEventLoop } from './running-loop.js';
import { wrapFuture } from './wrap-future.js';

/**
 * A Future for `aw`: a Future or Task is returned as it is, a coroutine is wrapped in a Task, a
 * PromiseLike in a Future that settles with it.
 * @example
 * ```ts
 * function* main() {
 *   const response = yield* ensureFuture(fetch('http://127.0.0.1:8080/'));
 * }
 * ```
 * @throws TypeError for anything else (a string, an array, a function); RangeError when a
 * future belongs to another loop than `loop`.
 */
export function ensureFuture<T>(
  aw: Awaitable<T> | PromiseLike<T>,
  options?: { loop?: EventLoop },
): Future<T> {
  const loop = options?.loop;
  if (isFuture(aw)) {
    if (loop !== undefined && aw.getLoop() !== loop) {
      throw new RangeError(
        'The future belongs to a different loop than the one specified as the loop argument',
      );
    }
    return aw as Future<T>;
  }
  if (isCoroutine(aw)) return (loop ?? getEventLoop()).createTask(aw as Coro<T>);
  if (typeof (aw as PromiseLike<T> | null)?.then === 'function') {
    return wrapFuture(aw as PromiseLike<T>, { loop: loop ?? getEventLoop() });
  }
  throw new TypeError(
    `An asyncio Future, a coroutine or an awaitable is required, got ${describeKind(aw)}`,
  );
}
