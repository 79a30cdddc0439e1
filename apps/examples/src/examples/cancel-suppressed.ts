/**
 * A task may refuse a cancellation: it catches the `CancelledError`, cleans up, and calls
 * `uncancel()` on itself so that `cancelling()` is back to 0 and nothing around it (a timeout, a
 * task group) takes the request as still pending; it then finishes with a value. Suppressing a
 * cancellation is rarely right: the asyncio documentation discourages it.
 *
 * ```python
 * async def save_document():
 *     task = asyncio.current_task()
 *     try:
 *         await asyncio.sleep(3600)  # editing, for an hour
 *         return 'saved in full'
 *     except asyncio.CancelledError:
 *         print(f'worker: cancelled while editing, cancelling() = {task.cancelling()}')
 *         await asyncio.sleep(0.5)  # writing a draft
 *         print('worker: wrote a draft')
 *         task.uncancel()
 *         print(f'worker: uncancel(), cancelling() = {task.cancelling()}')
 *         return 'saved as a draft'
 *
 * async def main():
 *     task = asyncio.create_task(save_document())
 *     await asyncio.sleep(1)
 *     task.cancel()
 *     print(f'main: cancel() requested, cancelling() = {task.cancelling()}')
 *     result = await task
 *     print(f'main: the task returned {result!r}, cancelled() = {task.cancelled()}')
 * ```
 */
import {
  CancelledError,
  type Coro,
  createTask,
  currentTask,
  RuntimeError,
  sleep,
} from 'asyncio-ts';
import type { Output } from '../output.js';

function* saveDocument(out: Output): Coro<string> {
  const self = currentTask();
  if (self === null) throw new RuntimeError('saveDocument() must run as a task');
  try {
    yield* sleep(3_600_000); // editing, for an hour
    return 'saved in full';
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    out.print(`worker: cancelled while editing, cancelling() = ${self.cancelling()}`);
    // The cancellation was delivered once; the cleanup may wait again.
    yield* sleep(500); // writing a draft
    out.print('worker: wrote a draft');
    self.uncancel();
    out.print(`worker: uncancel(), cancelling() = ${self.cancelling()}`);
    return 'saved as a draft';
  }
}

export function* main(out: Output): Coro<void> {
  const task = createTask(saveDocument(out));
  yield* sleep(1000);

  task.cancel();
  out.print(`main: cancel() requested, cancelling() = ${task.cancelling()}`);

  const result = yield* task;
  out.print(`main: the task returned '${result}', cancelled() = ${task.cancelled()}`);
}
