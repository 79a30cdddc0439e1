/**
 * The errors of the loop and its futures, one class each (Python's `asyncio.exceptions`).
 * Each sets `name` so that stack traces and `toString()` name the class.
 */

/**
 * The operation was cancelled: thrown into a coroutine at the point where it waits when its task
 * is cancelled. Its `message` is the cancel message (`""` when none was given).
 */
export class CancelledError extends Error {
  override name = 'CancelledError';
}

/** An operation was asked of a future or task in a state that does not allow it. */
export class InvalidStateError extends Error {
  override name = 'InvalidStateError';
}

/** A deadline passed (Python's built-in `TimeoutError`, which `asyncio.TimeoutError` aliases). */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** Misuse of the loop, a task or a primitive: the wrong time, place or state for a call. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

/** A key or variable that has no value (Python's `LookupError`, raised by `ContextVar.get`). */
export class LookupError extends Error {
  override name = 'LookupError';
}

/** The user interrupted the program (SIGINT): what `run()` rejects with after Ctrl-C. */
export class KeyboardInterrupt extends Error {
  override name = 'KeyboardInterrupt';
}
