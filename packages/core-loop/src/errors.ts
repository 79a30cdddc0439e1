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
 * A CancelledError made by the loop itself, for a cancelled future or task. It is made without
 * the engine's Error constructor, which records a stack even when told to keep no frames and so
 * cost more than all the rest of a cancellation; a stack here would show only the loop's own
 * frames anyway, never where the coroutine waited. It is `instanceof CancelledError` and Error,
 * its constructor is CancelledError, and `message`, `name`, `stack` (one line, as an error made
 * with no frames) and `toString()` read as on one made with `new`; only the engine's own check
 * for a native error (`util.types.isNativeError`) tells it apart.
 */
export function loopCancelledError(message: string): CancelledError {
  return new LoopCancelledError(message) as unknown as CancelledError;
}

/** The objects of {@link loopCancelledError}: its prototype's prototype is CancelledError's. */
class LoopCancelledError {
  #message: string;

  constructor(message: string) {
    this.#message = message;
  }

  get message(): string {
    return this.#message;
  }

  set message(value: string) {
    this.#message = value;
  }

  get stack(): string {
    return `${(this as unknown as Error).name}: ${this.#message}`;
  }

  set stack(value: string) {
    Object.defineProperty(this, 'stack', { value, writable: true, configurable: true });
  }
}
Object.setPrototypeOf(LoopCancelledError.prototype, CancelledError.prototype);
Object.defineProperty(LoopCancelledError.prototype, 'constructor', {
  value: CancelledError,
  writable: true,
  configurable: true,
});

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
