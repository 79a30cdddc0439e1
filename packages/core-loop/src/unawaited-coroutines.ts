/**
 * "coroutine ... was never awaited", where it can be detected. A JavaScript generator gives no
 * hook at its creation, so a `function*` coroutine that is called and dropped cannot be seen.
 * A coroutine object the library makes itself (a class that follows the generator protocol,
 * such as the one `sleep()` returns) can be: in debug mode it registers itself here when made and
 * unregisters on its first `next()`, `throw()` or `return()`; one collected while still
 * registered was never awaited, and the warning goes to the `logger`, as CPython's
 * RuntimeWarning does, with the stack that created it.
 */
import type { EventLoop } from './event-loop.js';
import { logger } from './logger.js';

interface Unawaited {
  name: string;
  createdAt: string;
}

const unawaited = new FinalizationRegistry<Unawaited>((held) => {
  logger.warning(
    `coroutine '${held.name}' was never awaited\n` +
      `Coroutine created at (most recent call first):\n${held.createdAt}`,
  );
});

/**
 * In debug mode on `loop`, watches `coro` (named `name` in the warning): if it is collected
 * before {@link coroutineStarted} is called for it, the logger warns that it was never awaited.
 * Low-level: for coroutine objects written as classes; a `function*` cannot be watched.
 * @returns whether it is watched (debug mode), so that the coroutine knows to call
 * {@link coroutineStarted}.
 */
export function watchUnawaitedCoroutine(coro: object, name: string, loop: EventLoop): boolean {
  if (!loop.getDebug()) return false;
  const stack = new Error().stack ?? '';
  const createdAt = stack
    .split('\n')
    .slice(1)
    .filter((line) => !/[\\/](core-loop|tasks)[\\/](dist|src)[\\/]/.test(line))
    .join('\n');
  unawaited.register(coro, { name, createdAt }, coro);
  return true;
}

/** Marks a watched coroutine as started (awaited, thrown into or closed): it is not reported. */
export function coroutineStarted(coro: object): void {
  unawaited.unregister(coro);
}
