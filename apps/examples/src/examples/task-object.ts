/**
 * The Task object: a task has a name, tells whether it is done or cancelled, gives its result or
 * its exception once done (and throws while it is pending), calls its done callbacks, and keeps
 * its coroutine (`getCoro()`) and, once it failed, the frames its error went through
 * (`getStack()`).
 *
 * The docs have no program for this section; this one walks through the methods:
 *
 * ```python
 * async def work(n):
 *     await asyncio.sleep(0.1)
 *     return n * 2
 *
 * async def parse(text):
 *     await asyncio.sleep(0.1)
 *     return int(text)
 *
 * async def main():
 *     coro = work(21)
 *     task = asyncio.create_task(coro, name='worker')
 *     task.add_done_callback(lambda t: print(f'callback: {t.get_name()} gave {t.result()}'))
 *     print(f'{task.get_name()}: done() = {task.done()}, get_coro() is coro: {task.get_coro() is coro}')
 *     try:
 *         task.result()
 *     except asyncio.InvalidStateError as e:
 *         print(f'result() while pending: InvalidStateError: {e}')
 *     await task
 *     print(f'{task.get_name()}: done() = {task.done()}, cancelled() = {task.cancelled()}, '
 *           f'result() = {task.result()}, exception() = {task.exception()}')
 *
 *     failing = asyncio.create_task(parse('forty-two'), name='parser')
 *     await asyncio.wait([failing])
 *     print(f'parser: exception() = {failing.exception()!r}')
 *     print(f'parser: get_stack() has the frame of {failing.get_stack()[-1].f_code.co_name}()')
 *
 *     sleeper = asyncio.create_task(asyncio.sleep(10), name='sleeper')
 *     await asyncio.sleep(0)
 *     sleeper.cancel('no longer needed')
 *     await asyncio.wait([sleeper])
 *     print(f'sleeper: cancelled() = {sleeper.cancelled()}')
 *     try:
 *         sleeper.result()
 *     except asyncio.CancelledError as e:
 *         print(f'sleeper: result() raises CancelledError: {e}')
 * ```
 */
import {
  CancelledError,
  type Coro,
  createTask,
  InvalidStateError,
  sleep,
  type Task,
  wait,
} from 'asyncio-ts';
import type { Output } from '../output.js';

function* work(n: number): Coro<number> {
  yield* sleep(100);
  return n * 2;
}

function* parse(text: string): Coro<number> {
  yield* sleep(100);
  const number = Number(text);
  if (Number.isNaN(number)) throw new RangeError(`not a number: '${text}'`);
  return number;
}

/** The function names in `at name (file:line:column)` frames. */
function frameNames(task: Task<unknown>): string[] {
  return task.getStack().map((frame) => /^\s*at (?:\S+\.)?(\S+)/.exec(frame)?.[1] ?? frame);
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
}

export function* main(out: Output): Coro<void> {
  const coro = work(21);
  const task = createTask(coro, { name: 'worker' });
  task.addDoneCallback((t) => out.print(`callback: ${t.getName()} gave ${t.result()}`));
  out.print(
    `${task.getName()}: done() = ${task.done()}, getCoro() is coro: ${task.getCoro() === coro}`,
  );
  try {
    task.result();
  } catch (error) {
    if (!(error instanceof InvalidStateError)) throw error;
    out.print(`result() while pending: ${describeError(error)}`);
  }
  yield* task;
  out.print(
    `${task.getName()}: done() = ${task.done()}, cancelled() = ${task.cancelled()}, ` +
      `result() = ${task.result()}, exception() = ${task.exception()}`,
  );

  const failing = createTask(parse('forty-two'), { name: 'parser' });
  yield* wait([failing]);
  out.print(`parser: exception() = ${describeError(failing.exception())}`);
  out.print(`parser: getStack() has the frame of ${frameNames(failing).at(-1)}()`);

  const sleeper = createTask(sleep(10_000), { name: 'sleeper' });
  yield* sleep(0);
  sleeper.cancel('no longer needed');
  yield* wait([sleeper]);
  out.print(`sleeper: cancelled() = ${sleeper.cancelled()}`);
  try {
    sleeper.result();
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    out.print(`sleeper: result() throws ${describeError(error)}`);
  }
}
