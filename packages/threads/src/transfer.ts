/**
 * Moving memory to another thread instead of copying it: `transfer(value)` marks an argument
 * (or a worker function's result) whose ArrayBuffer goes to the other side, leaving the
 * sender's copy detached (`byteLength` 0).
 */
import type { Transferable } from 'node:worker_threads';

const TRANSFER = Symbol('asyncio-ts.transfer');

interface TransferMarker {
  readonly [TRANSFER]: true;
  readonly value: unknown;
  readonly list: readonly Transferable[];
}

/**
 * Marks `value` to be transferred, not copied, when it crosses to a worker thread (as an
 * argument of {@link toThread} or `WorkerPoolExecutor.submit`) or back (as the value a worker
 * function returns). An ArrayBuffer is transferred itself; a typed array or DataView carries
 * its buffer along; anything else needs the buffers listed in `transferList`. Only top-level
 * arguments and results are looked at. The return type is `value`'s own, so a marked argument
 * still type-checks against the function's parameter.
 * @example
 * ```ts
 * import { toThread, transfer } from '@asyncio-ts/threads';
 * const bytes = new Uint8Array(1 << 20);
 * const sum = yield* toThread((b: Uint8Array) => b.reduce((s, x) => s + x, 0), transfer(bytes));
 * bytes.byteLength; // 0: the worker owns the memory now
 * ```
 * @throws TypeError when `value` has no buffer to transfer and no `transferList` is given.
 */
export function transfer<T>(value: T, transferList?: readonly Transferable[]): T {
  let list = transferList;
  if (list === undefined) {
    if (value instanceof ArrayBuffer) list = [value];
    else if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer)
      list = [value.buffer];
    else {
      throw new TypeError(
        `transfer() needs an ArrayBuffer, a typed array or a transferList, got ${typeof value}`,
      );
    }
  }
  const marker: TransferMarker = { [TRANSFER]: true, value, list };
  return marker as unknown as T;
}

function isMarker(value: unknown): value is TransferMarker {
  return typeof value === 'object' && value !== null && TRANSFER in value;
}

/** @internal `args` with markers replaced by their values, and what to transfer (or null). */
export function unwrapArgs(args: unknown[]): Transferable[] | null {
  let list: Transferable[] | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (isMarker(arg)) {
      args[i] = arg.value;
      list ??= [];
      list.push(...arg.list);
    }
  }
  return list;
}

/** @internal A result's value and what to transfer with it. */
export function unwrapResult(result: unknown): [unknown, readonly Transferable[] | undefined] {
  return isMarker(result) ? [result.value, result.list] : [result, undefined];
}
