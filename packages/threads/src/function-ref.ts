/**
 * Naming a function by the module that exports it, so another thread can import it there
 * (functions themselves cannot cross threads).
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WireRef } from './internal/protocol.js';

/**
 * A function named by its module and export: `{ module: new URL('./work.js', import.meta.url),
 * export: 'resize' }`. The module is imported in the thread that runs the function, so it
 * must be loadable by Node as it is (JavaScript, or TypeScript Node can strip). `module` is an
 * absolute file path, a `file:` / `data:` URL, or a bare package name (resolved from this
 * package's location: prefer a URL).
 * @example
 * ```ts
 * const resize: FunctionRef = { module: new URL('./images.js', import.meta.url), export: 'resize' };
 * const out = yield* toThread(resize, bytes, 256);
 * ```
 */
export interface FunctionRef {
  readonly module: string | URL;
  readonly export: string;
}

/** Whether `value` has the shape of a {@link FunctionRef}. */
export function isFunctionRef(value: unknown): value is FunctionRef {
  if (typeof value !== 'object' || value === null) return false;
  const { module, export: name } = value as { module?: unknown; export?: unknown };
  return (typeof module === 'string' || module instanceof URL) && typeof name === 'string';
}

/**
 * @internal `ref` with its module as an absolute URL string, checked.
 * @throws TypeError naming what is wrong with it.
 */
export function toWireRef(ref: unknown, caller: string): WireRef {
  if (!isFunctionRef(ref)) {
    throw new TypeError(
      `${caller} expects a { module, export } reference to a function, got ${describe(ref)}`,
    );
  }
  const module = ref.module instanceof URL ? ref.module.href : ref.module;
  if (module.startsWith('./') || module.startsWith('../')) {
    throw new TypeError(
      `${caller}: module "${module}" is relative; use new URL("${module}", import.meta.url)`,
    );
  }
  const href = isAbsolute(module) ? pathToFileURL(module).href : module;
  return { module: href, export: ref.export };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object without string module and export' : typeof value;
}

const resolved = new Map<string, (...args: unknown[]) => unknown>();
const loading = new Map<string, Promise<(...args: unknown[]) => unknown>>();

/** @internal The function `ref` names, imported once per thread. */
export function importRef(ref: WireRef): Promise<(...args: unknown[]) => unknown> {
  const key = `${ref.module}#${ref.export}`;
  const known = resolved.get(key);
  if (known !== undefined) return Promise.resolve(known);
  let pending = loading.get(key);
  if (pending === undefined) {
    pending = import(ref.module).then((namespace: Record<string, unknown>) => {
      const fn = namespace[ref.export];
      if (typeof fn !== 'function') {
        throw new TypeError(`${ref.module} has no exported function "${ref.export}"`);
      }
      resolved.set(key, fn as (...args: unknown[]) => unknown);
      return fn as (...args: unknown[]) => unknown;
    });
    loading.set(key, pending);
    pending.then(
      () => loading.delete(key),
      () => loading.delete(key),
    );
  }
  return pending;
}

/** @internal The function `ref` names when it is already imported on this thread. */
export function importedRef(ref: WireRef): ((...args: unknown[]) => unknown) | undefined {
  return resolved.get(`${ref.module}#${ref.export}`);
}
