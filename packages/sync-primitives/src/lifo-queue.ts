/**
 * LifoQueue: a Queue whose storage is a stack (Python's `asyncio.LifoQueue`).
 */
import { Queue } from './queue.js';

/**
 * A {@link Queue} that hands out the item put last first (Python's `asyncio.LifoQueue`).
 *
 * Only the order of items differs from {@link Queue}: waiting getters and putters are still
 * served in the order they came, and `taskDone()`, `join()` and `shutdown()` are the same.
 * @typeParam T - the type of the items.
 * @example
 * ```ts
 * import { LifoQueue } from '@asyncio-ts/sync-primitives';
 *
 * const stack = new LifoQueue<number>();
 * for (const n of [1, 3, 2]) stack.putNowait(n);
 * [stack.getNowait(), stack.getNowait(), stack.getNowait()]; // [2, 3, 1]
 * ```
 */
export class LifoQueue<T = unknown> extends Queue<T> {
  /** The stack: its last element comes out first. */
  declare protected _queue: T[];

  protected override init(_maxsize: number): void {
    this._queue = [];
  }

  protected override getItem(): T {
    return this._queue.pop()!;
  }

  protected override putItem(item: T): void {
    this._queue.push(item);
  }
}
