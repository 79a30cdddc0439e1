// lock with plain async/await: 1,000 async functions, each 100 times: acquire one mutex, yield
// once, release. The mutex is written inline (a flag and a line of waiting resolvers; release
// hands the lock to the first waiter, so no one jumps the line). `await Promise.resolve()`
// stands in for sleep(0).
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const { tasks: TASKS, acquisitions: ACQUISITIONS } = SIZES.lock;

class Mutex {
  constructor() {
    this.locked = false;
    this.waiters = [];
  }

  acquire() {
    if (!this.locked) {
      this.locked = true;
      return undefined;
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release() {
    const next = this.waiters.shift();
    if (next !== undefined) next();
    else this.locked = false;
  }
}

async function worker(mutex, counter) {
  for (let i = 0; i < ACQUISITIONS; i++) {
    await mutex.acquire();
    try {
      const inside = counter.value;
      await Promise.resolve();
      counter.value = inside + 1;
    } finally {
      mutex.release();
    }
  }
}

async function once() {
  const start = process.hrtime.bigint();
  const mutex = new Mutex();
  const counter = { value: 0 };
  const promises = new Array(TASKS);
  for (let i = 0; i < TASKS; i++) promises[i] = worker(mutex, counter);
  await Promise.all(promises);
  const seconds = secondsSince(start);
  check(counter.value === TASKS * ACQUISITIONS, 'every acquisition excluded the others');
  return seconds;
}

await warmUp(() => once());
report('lock', 'promises', TASKS * ACQUISITIONS, await once());
