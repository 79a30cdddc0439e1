/**
 * Ids for futures and tasks in call graphs and process snapshots: JavaScript has no object
 * addresses (CPython prints `id(task)`), so each future gets a number the first time one is
 * asked for, unique and stable for the life of the process.
 */
import type { Future } from '@asyncio-ts/core-loop';

const ids = new WeakMap<Future<unknown>, number>();
let lastId = 0;

/**
 * The future's id: a small positive integer given on first request, the same ever after.
 * Call graphs print it in hex (`id=0x2a`), as CPython prints an address.
 */
export function futureId(future: Future<unknown>): number {
  let id = ids.get(future);
  if (id === undefined) {
    id = ++lastId;
    ids.set(future, id);
  }
  return id;
}
