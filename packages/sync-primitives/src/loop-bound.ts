/**
 * LoopBound: what every primitive and queue shares (Python's `mixins._LoopBoundMixin`). A
 * primitive may be created outside a running loop; it binds to the loop that first needs it (to
 * make a waiter's future) and refuses any other loop after that.
 */
import { type EventLoop, getRunningLoop, RuntimeError } from '@asyncio-ts/core-loop';

export abstract class LoopBound {
  #loop: EventLoop | null = null;

  /**
   * The running loop, binding to it on first use. Not protected: the wait the primitives share
   * (internal/wait.ts) calls it too.
   * @throws RuntimeError "... is bound to a different event loop" from another loop; "no
   * running event loop" outside one.
   * @internal
   */
  _getLoop(): EventLoop {
    const loop = getRunningLoop();
    if (this.#loop === null) this.#loop = loop;
    else if (this.#loop !== loop)
      throw new RuntimeError(`${this} is bound to a different event loop`);
    return loop;
  }

  /** Primitives are not awaitable: `yield* lock` is a mistake, and says what to write instead. */
  [Symbol.iterator](): never {
    throw new TypeError(
      `'${this.constructor.name}' object can't be awaited: wait on one of its coroutine methods ` +
        'instead (yield* lock.acquire(), yield* event.wait(), yield* queue.get(), ...)',
    );
  }
}
