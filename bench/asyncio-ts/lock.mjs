// lock with asyncio-ts: 1,000 tasks, each 100 times: acquire one Lock, sleep(0), release.
import { createTask, gather, Lock, run, sleep } from 'asyncio-ts';
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const { tasks: TASKS, acquisitions: ACQUISITIONS } = SIZES.lock;

function* worker(lock, counter) {
  for (let i = 0; i < ACQUISITIONS; i++) {
    yield* lock.acquire();
    try {
      const inside = counter.value;
      yield* sleep(0);
      counter.value = inside + 1;
    } finally {
      lock.release();
    }
  }
}

function* main() {
  const start = process.hrtime.bigint();
  const lock = new Lock();
  const counter = { value: 0 };
  const tasks = new Array(TASKS);
  for (let i = 0; i < TASKS; i++) tasks[i] = createTask(worker(lock, counter));
  yield* gather(tasks);
  const seconds = secondsSince(start);
  check(counter.value === TASKS * ACQUISITIONS, 'every acquisition excluded the others');
  return seconds;
}

await warmUp(() => run(main()));
report('lock', 'asyncio-ts', TASKS * ACQUISITIONS, await run(main()));
