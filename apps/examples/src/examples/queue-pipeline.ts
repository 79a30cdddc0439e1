/**
 * A bounded producer/consumer pipeline: a producer puts six jobs into a `Queue` of at most two,
 * so it waits whenever the queue is full; two workers take jobs, work on each for its time and
 * mark it done with `taskDone()`; `join()` waits until every job put has been marked done, and
 * the workers, idle by then, are cancelled.
 *
 * ```python
 * async def worker(name, queue):
 *     while True:
 *         job, ms = await queue.get()
 *         print(f'{name} starts {job}')
 *         await asyncio.sleep(ms / 1000)
 *         print(f'{name} finished {job}')
 *         queue.task_done()
 *
 * async def main():
 *     queue = asyncio.Queue(maxsize=2)
 *     workers = [asyncio.create_task(worker(f'worker-{i}', queue)) for i in (1, 2)]
 *     for n, ms in enumerate([300, 100, 200, 400, 100, 200], start=1):
 *         await queue.put((f'job-{n}', ms))
 *         print(f'put job-{n} ({ms} ms)')
 *     await queue.join()
 *     print('every job is done')
 *     for w in workers:
 *         w.cancel()
 *     await asyncio.gather(*workers, return_exceptions=True)
 * ```
 */
import { type Coro, createTask, gather, Queue, sleep } from 'asyncio-ts';
import type { Output } from '../output.js';

type Job = readonly [name: string, ms: number];

function* worker(out: Output, name: string, queue: Queue<Job>): Coro<void> {
  for (;;) {
    const [job, ms] = yield* queue.get();
    out.print(`${name} starts ${job}`);
    yield* sleep(ms);
    out.print(`${name} finished ${job}`);
    queue.taskDone();
  }
}

export function* main(out: Output): Coro<void> {
  const queue = new Queue<Job>(2);
  const workers = ['worker-1', 'worker-2'].map((name) => createTask(worker(out, name, queue)));

  // The producer: put() waits while the queue holds two jobs already.
  for (const [index, ms] of [300, 100, 200, 400, 100, 200].entries()) {
    const job = `job-${index + 1}`;
    yield* queue.put([job, ms]);
    out.print(`put ${job} (${ms} ms)`);
  }

  // Every job put has been taken and marked done with taskDone().
  yield* queue.join();
  out.print('every job is done');

  for (const task of workers) task.cancel();
  yield* gather(workers, { returnExceptions: true });
}
