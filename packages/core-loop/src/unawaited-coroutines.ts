/**
 * "coroutine ... was never awaited", where it can be detected. A JavaScript generator gives no
 * hook at its creation, so a `function*` coroutine that is called and dropped cannot be seen.
 * A coroutine object the library makes itself (a class that follows the generator protocol,
 * such as the one `sleep()` returns) can be: in debug mode it registers itself here when made and
 * unregisters on its first `next()`, `throw()` or `return()`; one collected while still
 * registered was never awaited, and the warning goes to the `logger`, as CPython's
 * RuntimeWarning does, with the stack that created it.
 */
import { logger } from './logger.js';

interface Unawaited {
  name: string;
  createdAt: Error;
}

const unawaited = new FinalizationRegistry<Unawaited>((held) => {
  const createdAt = (held.createdAt.stack ?? '')
    .split('\n')
    .slice(1)
    .filter((line) => !LIBRARY_FRAME.test(line))
    .join('\n');
  logger.warning(
    `coroutine '${held.name}' was never awaited\n` +
      `Coroutine created at (most recent call first):\n${createdAt}`,
  );
});

const LIBRARY_FRAME = /[\\/](core-loop|tasks)[\\/](dist|src)[\\/]/;

/**
 * Watches `coro` (named `name` in the warning): if it is collected before
 * {@link coroutineStarted} is called for it, the logger warns that it was never awaited, with
 * the stack of `createdAt`. Call it in debug mode only (`runningLoopInDebug()`). Low-level: for
 * coroutine objects written as classes; a `function*` cannot be watched. Capture `createdAt`
 * (with `captureTrace()`) before making the coroutine: a stack captured inside its constructor
 * would hold the coroutine itself, and it would never be collected.
 * @returns true, so that the coroutine can note that it must call {@link coroutineStarted}.
 */
export function watchUnawaitedCoroutine(coro: object, name: string, createdAt: Error): boolean {
  unawaited.register(coro, { name, createdAt }, coro);
  return true;
}

/** Marks a watched coroutine as started (awaited, thrown into or closed): it is not reported. */
export function coroutineStarted(coro: object): void {
  unawaited.unregister(coro);
}
