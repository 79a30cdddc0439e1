/**
 * How a function submitted on the loop thread is named to a worker: a self-contained
 * function by its source (sent once per worker, then by id), a `{ module, export }` reference
 * by the reference. Ids are process-wide, so every pool shares them.
 */
import { importRef } from '../function-ref.js';
import type { WireRef } from './protocol.js';

/** A function as workers know it. */
export interface JobFunction {
  readonly id: number;
  readonly source: string | undefined;
  readonly ref: WireRef | undefined;
}

const REF = Symbol('asyncio-ts.functionRef');

type RefStub = ((...args: unknown[]) => Promise<unknown>) & { [REF]: WireRef };

let nextId = 1;
const byFunction = new WeakMap<Function, JobFunction>();
const bySource = new Map<string, JobFunction>();
const byRef = new Map<string, JobFunction>();
const stubs = new Map<string, RefStub>();

/**
 * A function standing for `ref`: a worker pool sends the reference; any other executor runs it
 * by importing the module on the loop thread.
 */
export function refStub(ref: WireRef): RefStub {
  const key = `${ref.module}#${ref.export}`;
  let stub = stubs.get(key);
  if (stub === undefined) {
    stub = (async (...args: unknown[]) => (await importRef(ref))(...args)) as RefStub;
    stub[REF] = ref;
    stubs.set(key, stub);
  }
  return stub;
}

/**
 * `fn` as workers know it.
 * @throws TypeError when `fn`'s source cannot be run elsewhere (a built-in, bound or class).
 */
export function jobFunctionOf(fn: Function): JobFunction {
  const known = byFunction.get(fn);
  if (known !== undefined) return known;
  const ref = (fn as Partial<RefStub>)[REF];
  const jobFunction = ref === undefined ? bySourceOf(fn) : byRefOf(ref);
  byFunction.set(fn, jobFunction);
  return jobFunction;
}

function bySourceOf(fn: Function): JobFunction {
  const source = Function.prototype.toString.call(fn);
  if (source.endsWith('{ [native code] }')) {
    throw new TypeError(
      `toThread(fn): ${fn.name || 'fn'} is a built-in or bound function, whose source cannot be ` +
        'sent to a worker thread: wrap it in a self-contained function or use a { module, export } reference',
    );
  }
  if (source.startsWith('class')) {
    throw new TypeError(`toThread(fn): ${fn.name || 'fn'} is a class, not a function`);
  }
  let jobFunction = bySource.get(source);
  if (jobFunction === undefined) {
    jobFunction = { id: nextId++, source, ref: undefined };
    bySource.set(source, jobFunction);
  }
  return jobFunction;
}

function byRefOf(ref: WireRef): JobFunction {
  const key = `${ref.module}#${ref.export}`;
  let jobFunction = byRef.get(key);
  if (jobFunction === undefined) {
    jobFunction = { id: nextId++, source: undefined, ref };
    byRef.set(key, jobFunction);
  }
  return jobFunction;
}
