/**
 * Context variables (Python's `contextvars`): values that follow the flow of execution. Every
 * task runs in its own copy of the context it was created in, across every `yield`, so a value
 * set inside a task is seen by that task alone.
 *
 * A context's mapping is never changed in place: `set` installs a new Map, so `copy()` shares
 * the old one and costs O(1); the price is paid by `set`, which is the rarer operation.
 *
 * Tasks go one step further: most never set a variable, so the tasks created in one context
 * share one read-only copy of it ({@link shareContext}) instead of a copy each. The first `set`
 * in a shared context gives the running task a private copy then (copy-on-write), and
 * `Task.getContext()` does the same, so no caller can tell a shared copy from its own.
 */
import { inspect } from 'node:util';
import { LookupError, RuntimeError } from './errors.js';

const NO_DEFAULT: unique symbol = Symbol('NO_DEFAULT');

const FREE = 0;
const ENTERED = 1;
/** A read-only copy that tasks share: never entered-checked, never changed. */
const SHARED = 2;
type Mode = typeof FREE | typeof ENTERED | typeof SHARED;

/** An immutable-by-convention mapping from variables to values, and whether it is entered. */
export class Context {
  #vars: Map<ContextVar<any>, unknown>;
  #mode: Mode;
  /** The shared copy handed to the tasks created here, while this context's values are its. */
  #shared: Context | null;

  constructor(vars?: Map<ContextVar<any>, unknown>) {
    this.#vars = vars ?? new Map();
    this.#mode = FREE;
    this.#shared = null;
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

  /** This context, or a private copy of it when it is a shared one. Low-level: for Task. */
  _own(): Context {
    return this.#mode === SHARED ? new Context(this.#vars) : this;
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
    const mode = this.#mode;
    if (mode === SHARED) return;
    if (entered && mode === ENTERED) {
      throw new RuntimeError(`cannot enter context: ${this} is already entered`);
    }
    this.#mode = entered ? ENTERED : FREE;
  }

  /** Whether this is a read-only copy shared by tasks (see {@link shareContext}). Low-level. */
  _isShared(): boolean {
    return this.#mode === SHARED;
  }

  /** @internal The read-only copy of this context's current values that tasks may share. */
  _sharedCopy(): Context {
    if (this.#mode === SHARED) return this;
    const shared = this.#shared;
    if (shared !== null && shared.#vars === this.#vars) return shared;
    const copy = new Context(this.#vars);
    copy.#mode = SHARED;
    this.#shared = copy;
    return copy;
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
    return `<Context vars=${this.#vars.size}${this.#mode === ENTERED ? ' entered' : ''}>`;
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

/**
 * Restores `previous` (what {@link enterContext} returned) as the current context.
 * @returns the context that was current until now: not the one entered when a variable was set
 * in a shared context, whose values then moved to a private copy the caller should keep.
 */
export function exitContext(previous: Context): Context {
  const left = current;
  left._setEntered(false);
  current = previous;
  return left;
}

/**
 * The current context itself (not a copy). A shared one is first replaced by a private copy,
 * which the running task keeps, so the context returned is never one that other tasks share.
 */
export function currentContext(): Context {
  return writableContext();
}

/**
 * A read-only copy of the current context for a new task: tasks created in the same context
 * share it until one of them sets a variable or asks for its context, and gets a private copy
 * then. Low-level: for Task; `copyContext()` is the copy to use elsewhere.
 */
export function shareContext(): Context {
  return current._sharedCopy();
}

/**
 * Whether `context` is the current one: a task asks, when handing out its context, whether its
 * own step is the one running in it.
 */
export function isCurrentContext(context: Context): boolean {
  return current === context;
}

/** The current context, made private first if it is shared (copy-on-write). */
function writableContext(): Context {
  if (!current._isShared()) return current;
  const own = new Context(current._vars());
  own._setEntered(true);
  current = own;
  return own;
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
    const context = writableContext();
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
    // A token is never made in a shared context, so a shared current one is not the token's.
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
