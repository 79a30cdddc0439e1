/**
 * Errors crossing a thread. Structured cloning keeps only a few built-in classes and drops the
 * rest, so an error travels as a plain record and is rebuilt on the other side: the same class
 * when it is a JavaScript built-in or one of core-loop's errors, otherwise an `Error` whose
 * `name` is the thrower's class name. The message, the thrower's stack, `code` and `cause`
 * come along.
 */
import {
  CancelledError,
  InvalidStateError,
  KeyboardInterrupt,
  LookupError,
  RuntimeError,
  TimeoutError,
} from '@asyncio-ts/core-loop';

type ErrorClass = new (message?: string) => Error;

const BUILT_IN: Record<string, ErrorClass> = {
  Error,
  TypeError,
  RangeError,
  ReferenceError,
  SyntaxError,
  EvalError,
  URIError,
};

const CORE_LOOP: Record<string, ErrorClass> = {
  CancelledError,
  InvalidStateError,
  KeyboardInterrupt,
  LookupError,
  RuntimeError,
  TimeoutError,
};

/** An error as a cloneable record. */
export interface SerializedError {
  readonly kind: 'error';
  readonly className: string;
  readonly message: string;
  readonly stack: string | undefined;
  readonly code?: unknown;
  readonly cause?: SerializedThrown;
}

/** Anything thrown: an error record, or a thrown non-error value as it was. */
export type SerializedThrown =
  | SerializedError
  | { readonly kind: 'value'; readonly value: unknown };

function classNameOf(error: Error): string {
  const name = error.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'Error';
}

function isKnownClass(error: Error, className: string): boolean {
  const cls = BUILT_IN[className] ?? CORE_LOOP[className];
  return cls !== undefined && error.constructor === cls;
}

/** `thrown` as a record that survives `postMessage`. */
export function serializeThrown(thrown: unknown, depth = 0): SerializedThrown {
  if (!(thrown instanceof Error)) {
    try {
      structuredClone(thrown);
      return { kind: 'value', value: thrown };
    } catch {
      return { kind: 'value', value: String(thrown) };
    }
  }
  const className = classNameOf(thrown);
  const record: {
    kind: 'error';
    className: string;
    message: string;
    stack: string | undefined;
    code?: unknown;
    cause?: SerializedThrown;
  } = {
    kind: 'error',
    // A user's class that shares a built-in's name is still the user's: it arrives as an Error.
    className: isKnownClass(thrown, className) ? className : `~${className}`,
    message: thrown.message,
    stack: thrown.stack,
  };
  const code = (thrown as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') record.code = code;
  if (thrown.cause !== undefined && depth < 8)
    record.cause = serializeThrown(thrown.cause, depth + 1);
  return record;
}

/** The error (or value) that `record` describes, rebuilt on this thread. */
export function deserializeThrown(record: SerializedThrown): unknown {
  if (record.kind === 'value') return record.value;
  const foreign = record.className.startsWith('~');
  const className = foreign ? record.className.slice(1) : record.className;
  const cls = foreign ? Error : (BUILT_IN[className] ?? CORE_LOOP[className] ?? Error);
  const error = new cls(record.message);
  if (foreign && className !== 'Error') {
    Object.defineProperty(error, 'name', { value: className, writable: true, configurable: true });
  }
  if (record.stack !== undefined) error.stack = record.stack;
  if (record.code !== undefined) (error as { code?: unknown }).code = record.code;
  if (record.cause !== undefined) error.cause = deserializeThrown(record.cause);
  return error;
}
