/**
 * Context variables (Python's `contextvars`): values that follow the flow of execution. Every
 * task runs in its own copy of the context it was created in, across every `yield`, so a value
 * set inside a task is seen by that task alone.
 *
 * A context's mapping is never changed in place: `set` installs a new Map, so `copy()` shares
 * the old one and costs O(1); the price is paid by `set`, which is the rarer operation.
 */
import { inspect } from 'node:util';
import { LookupError, RuntimeError } from './errors.js';

const NO_DEFAULT: unique symbol = Symbol('NO_DEFAULT');

/** An immutable-by-convention mapping from variables to values, and whether it is entered. */
export class Context {
  #vars: Map<ContextVar<any>, unknown>;
  #entered: boolean;

  constructor(vars?: Map<ContextVar<any>, unknown>) {
    this.#vars = vars ?? new Map();
    this.#entered = false;
  }

  /**
   * Runs `fn(...args)` with this context as the current one, then restores the previous.
   * @throws RuntimeError when this context is already entered (on this or an outer frame).
   */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
    const previous = enterContext(this);
    try {
      return fn(...args);
    } finally {
      exitContext(previous);
    }
  }

  /** A new context with the same values; changes to either are not seen by the other. */
  copy(): Context {
    return new Context(this.#vars);
  }

  /** The value of `variable` in this context, else `defaultValue` (undefined when not given). */
  get<T>(variable: ContextVar<T>, defaultValue?: T): T | undefined {
    return this.#vars.has(variable) ? (this.#vars.get(variable) as T) : defaultValue;
  }

  /** Whether `variable` has a value in this context. */
  has(variable: ContextVar<unknown>): boolean {
    return this.#vars.has(variable);
  }

  /** The number of variables with a value here. */
  get size(): number {
    return this.#vars.size;
  }

  /** The variables that have a value here. */
  keys(): IterableIterator<ContextVar<unknown>> {
    return this.#vars.keys();
  }

  /** `[variable, value]` pairs. */
  entries(): IterableIterator<[ContextVar<unknown>, unknown]> {
    return this.#vars.entries();
  }

  /** @internal */
  _setEntered(entered: boolean): void {
    if (entered && this.#entered) {
      throw new RuntimeError(`cannot enter context: ${this} is already entered`);
    }
    this.#entered = entered;
  }

  /** @internal */
  _vars(): Map<ContextVar<any>, unknown> {
    return this.#vars;
  }

  /** @internal */
  _replaceVars(vars: Map<ContextVar<any>, unknown>): void {
    this.#vars = vars;
  }

  toString(): string {
    return `<Context vars=${this.#vars.size}${this.#entered ? ' entered' : ''}>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

let current = new Context();

/**
 * Makes `context` current and returns the one it replaces, for {@link exitContext}. Low-level:
 * for schedulers that cannot afford `Context.run`'s argument list on every step.
 * @throws RuntimeError when `context` is already entered.
 */
export function enterContext(context: Context): Context {
  context._setEntered(true);
  const previous = current;
  current = context;
  return previous;
}

/** Restores `previous` (what {@link enterContext} returned) as the current context. */
export function exitContext(previous: Context): void {
  current._setEntered(false);
  current = previous;
}

/** The current context itself (not a copy); used by `ContextVar` and the loop. */
export function currentContext(): Context {
  return current;
}

/**
 * A copy of the current context (Python's `contextvars.copy_context()`).
 * @example
 * ```ts
 * import { ContextVar, copyContext } from '@asyncio-ts/core-loop';
 * const user = new ContextVar<string>('user', { default: 'nobody' });
 * const ctx = copyContext();
 * ctx.run(() => user.set('ada'));
 * console.log(user.get(), ctx.get(user)); // nobody ada
 * ```
 */
export function copyContext(): Context {
  return current.copy();
}

/** What {@link ContextVar.set} returns: the means to undo that one `set` with `reset`. */
export class Token<T> {
  /** Marks a variable that had no value before the `set`. */
  static readonly MISSING: unique symbol = Symbol('Token.MISSING');

  readonly var: ContextVar<T>;
  readonly oldValue: T | typeof Token.MISSING;
  /** @internal */
  readonly _context: Context;
  /** @internal */
  _used: boolean;

  constructor(variable: ContextVar<T>, oldValue: T | typeof Token.MISSING, context: Context) {
    this.var = variable;
    this.oldValue = oldValue;
    this._context = context;
    this._used = false;
  }

  toString(): string {
    return `<Token${this._used ? ' used' : ''} var=${this.var}>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * A context variable (Python's `contextvars.ContextVar`).
 * @example
 * ```ts
 * import { ContextVar } from '@asyncio-ts/core-loop';
 * const requestId = new ContextVar<number>('requestId', { default: 0 });
 * const token = requestId.set(7);
 * requestId.get(); // 7
 * requestId.reset(token);
 * ```
 */
export class ContextVar<T> {
  readonly name: string;
  readonly #default: T | typeof NO_DEFAULT;

  constructor(name: string, options?: { default?: T }) {
    if (typeof name !== 'string') {
      throw new TypeError(`context variable name must be a string, got ${typeof name}`);
    }
    this.name = name;
    this.#default =
      options !== undefined && 'default' in options ? (options.default as T) : NO_DEFAULT;
  }

  /**
   * The value in the current context, else `defaultValue`, else the variable's default.
   * @throws LookupError when there is none of the three.
   */
  get(defaultValue?: T): T {
    const vars = current._vars();
    if (vars.has(this)) return vars.get(this) as T;
    // A default passed explicitly, even undefined, wins over the variable's own.
    // biome-ignore lint/complexity/noArguments: telling get() from get(undefined)
    if (arguments.length > 0) return defaultValue as T;
    if (this.#default !== NO_DEFAULT) return this.#default;
    throw new LookupError(`${this} has no value`);
  }

  /** Sets the value in the current context; the returned token undoes it with {@link reset}. */
  set(value: T): Token<T> {
    const context = current;
    const vars = context._vars();
    const old = vars.has(this) ? (vars.get(this) as T) : Token.MISSING;
    const next = new Map(vars);
    next.set(this, value);
    context._replaceVars(next);
    return new Token(this, old, context);
  }

  /**
   * Restores the value from before the `set` that made `token`.
   * @throws RuntimeError when the token was used already; RangeError when it belongs to another
   * variable or was made in another context.
   */
  reset(token: Token<T>): void {
    if (!(token instanceof Token)) {
      throw new TypeError(`expected a Token, got ${typeof token}`);
    }
    if (token._used) throw new RuntimeError(`${token} has already been used once`);
    if (token.var !== this) throw new RangeError(`${token} was created by a different ContextVar`);
    if (token._context !== current)
      throw new RangeError(`${token} was created in a different Context`);
    const next = new Map(current._vars());
    if (token.oldValue === Token.MISSING) next.delete(this);
    else next.set(this, token.oldValue);
    current._replaceVars(next);
    token._used = true;
  }

  toString(): string {
    return `<ContextVar name=${this.name}>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
