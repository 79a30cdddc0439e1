/**
 * The errors of the loop and its futures, one class each (Python's `asyncio.exceptions`).
 * Each names itself through its prototype's `name` (see the end of the file), so that stack
 * traces and `toString()` name the class; a field would cost a property definition per error.
 */

/**
 * The operation was cancelled: thrown into a coroutine at the point where it waits when its task
 * is cancelled. Its `message` is the cancel message (`""` when none was given).
 */
export class CancelledError extends Error {}

/**
 * A CancelledError made by the loop itself, for a cancelled future or task. It carries no stack:
 * one captured here would show only the loop's own frames, never where the coroutine waited, and
 * capturing it costs more than the rest of a cancellation together.
 */
export function loopCancelledError(message: string): CancelledError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new CancelledError(message);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** An operation was asked of a future or task in a state that does not allow it. */
export class InvalidStateError extends Error {}

/** A deadline passed (Python's built-in `TimeoutError`, which `asyncio.TimeoutError` aliases). */
export class TimeoutError extends Error {}

/** Misuse of the loop, a task or a primitive: the wrong time, place or state for a call. */
export class RuntimeError extends Error {}

/** A key or variable that has no value (Python's `LookupError`, raised by `ContextVar.get`). */
export class LookupError extends Error {}

/** The user interrupted the program (SIGINT): what `run()` rejects with after Ctrl-C. */
export class KeyboardInterrupt extends Error {}

for (const errorClass of [
  CancelledError,
  InvalidStateError,
  TimeoutError,
  RuntimeError,
  LookupError,
  KeyboardInterrupt,
]) {
  Object.defineProperty(errorClass.prototype, 'name', {
    value: errorClass.name,
    writable: true,
    configurable: true,
  });
}
