/**
 * When a task of a group fails, the group cancels its other tasks and its own body, waits for
 * them to finish their cleanup, and throws every failure together in an `ExceptionGroup`.
 * `splitGroup(error, ServerDown)` is Python's `except* ServerDown`: it takes out the errors of
 * that class and leaves the rest (here none) to be re-thrown.
 *
 * ```python
 * class ServerDown(Exception):
 *     pass
 *
 * async def fetch(name, delay):
 *     print(f'{name}: start')
 *     try:
 *         await asyncio.sleep(delay)
 *         print(f'{name}: done')
 *     except asyncio.CancelledError:
 *         print(f'{name}: cancelled, closing its connection')
 *         raise
 *
 * async def fail_after(name, delay):
 *     print(f'{name}: start')
 *     await asyncio.sleep(delay)
 *     raise ServerDown(f'{name}: the server went down')
 *
 * async def main():
 *     try:
 *         async with asyncio.TaskGroup() as tg:
 *             tg.create_task(fetch('a', 0.5))
 *             tg.create_task(fetch('b', 1.5))
 *             tg.create_task(fail_after('c', 1))
 *             try:
 *                 await asyncio.sleep(2)
 *                 print('body: done')
 *             except asyncio.CancelledError:
 *                 print('body: cancelled')
 *                 raise
 *     except* ServerDown as group:
 *         for error in group.exceptions:
 *             print(f'handled: {error}')
 * ```
 */
import { CancelledError, type Coro, sleep, splitGroup, taskGroup } from 'asyncio-ts';
import type { Output } from '../output.js';

class ServerDown extends Error {}

function* fetch(out: Output, name: string, delayMs: number): Coro<void> {
  out.print(`${name}: start`);
  try {
    yield* sleep(delayMs);
    out.print(`${name}: done`);
  } catch (error) {
    if (error instanceof CancelledError) out.print(`${name}: cancelled, closing its connection`);
    throw error;
  }
}

function* failAfter(out: Output, name: string, delayMs: number): Coro<void> {
  out.print(`${name}: start`);
  yield* sleep(delayMs);
  throw new ServerDown(`${name}: the server went down`);
}

export function* main(out: Output): Coro<void> {
  try {
    yield* taskGroup(function* (tg) {
      tg.createTask(fetch(out, 'a', 500));
      tg.createTask(fetch(out, 'b', 1500));
      tg.createTask(failAfter(out, 'c', 1000));
      try {
        yield* sleep(2000);
        out.print('body: done');
      } catch (error) {
        if (error instanceof CancelledError) out.print('body: cancelled');
        throw error;
      }
    });
  } catch (error) {
    // `except* ServerDown as group:` — any other error goes on up.
    const [serverDown, rest] = splitGroup(error, ServerDown);
    for (const failure of serverDown?.exceptions ?? []) out.print(`handled: ${failure.message}`);
    if (rest !== null) throw rest;
  }
}
