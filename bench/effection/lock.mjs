// lock with Effection 4: 1,000 tasks, each 100 times: acquire one lock, yield once, release.
// Effection has no lock, so the lock is a one-permit semaphore built from its createQueue: the
// queue holds the free permit, acquire takes it (waiting in line while another task holds it),
// release adds it back. `until(Promise.resolve())` stands in for sleep(0), as in switch.
import { all, createQueue, run, spawn, until } from 'effection';
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const { tasks: TASKS, acquisitions: ACQUISITIONS } = SIZES.lock;

function createLock() {
  const permits = createQueue();
  permits.add(undefined);
  return {
    *acquire() {
      yield* permits.next();
    },
    release() {
      permits.add(undefined);
    },
  };
}

function* worker(lock, counter) {
  for (let i = 0; i < ACQUISITIONS; i++) {
    yield* lock.acquire();
    try {
      const inside = counter.value;
      yield* until(Promise.resolve());
      counter.value = inside + 1;
    } finally {
      lock.release();
    }
  }
}

function* main() {
  const start = process.hrtime.bigint();
  const lock = createLock();
  const counter = { value: 0 };
  const tasks = new Array(TASKS);
  for (let i = 0; i < TASKS; i++) tasks[i] = yield* spawn(() => worker(lock, counter));
  yield* all(tasks);
  const seconds = secondsSince(start);
  check(counter.value === TASKS * ACQUISITIONS, 'every acquisition excluded the others');
  return seconds;
}

await warmUp(() => run(main));
report('lock', 'effection', TASKS * ACQUISITIONS, await run(main));
