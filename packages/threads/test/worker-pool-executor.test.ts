import { CancelledError, getRunningLoop, RuntimeError } from '@asyncio-ts/core-loop';
import { gather, run } from '@asyncio-ts/tasks';
import { describe, expect, it } from 'vitest';
import { BrokenWorkerError, type JobScope, WorkerPoolExecutor } from '../dist/index.js';
import {
  countAndReturn,
  expectError,
  Gate,
  hostTimer,
  job,
  rejectionOf,
  thrownBy,
  waitAtGate,
} from './utils.js';

/** Waits (on the real clock, up to `limitMs`) until `condition()` holds. */
async function eventually(condition: () => boolean, limitMs = 3_000): Promise<boolean> {
  const deadline = performance.now() + limitMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await hostTimer(5);
  }
  return true;
}

describe('WorkerPoolExecutor: workers', () => {
  it('starts workers lazily, up to maxWorkers, and reuses them', async () => {
    const pool = new WorkerPoolExecutor({ maxWorkers: 2 });
    const gate = new Gate();
    const counts: number[] = [pool.workerCount];
    const jobs = [1, 2, 3, 4].map((i) => pool.submit(waitAtGate, gate.words, i));
    counts.push(pool.workerCount, pool.queuedCount);
    gate.open();
    expect(await Promise.all(jobs)).toEqual([1, 2, 3, 4]);
    for (let i = 0; i < 3; i++) await pool.submit((x: number) => x, i);
    counts.push(pool.workerCount, pool.queuedCount);
    await pool.shutdown();
    counts.push(pool.workerCount);
    expect(counts).toEqual([0, 2, 2, 2, 0, 0]);
  });

  it('gives each job to the worker that has been idle longest', async () => {
    type Where = { threadId: number };
    const pool = new WorkerPoolExecutor({ maxWorkers: 2 });
    const gate = new Gate();
    // Both workers started; the first to finish is idle longest.
    const started = [
      pool.submit(waitAtGate, gate.words, 0),
      pool.submit(waitAtGate, gate.words, 1),
    ];
    gate.open();
    await Promise.all(started);
    const threads: number[] = [];
    for (let i = 0; i < 4; i++) threads.push((await pool.submit<Where>(job('whereAmI'))).threadId);
    await pool.shutdown();
    expect(new Set(threads).size).toBe(2);
    expect([threads[2], threads[3]]).toEqual([threads[0], threads[1]]);
    expect(threads[0]).not.toBe(threads[1]);
  });

  it('defaults maxWorkers to the available parallelism', async () => {
    const { availableParallelism } = await import('node:os');
    expect(new WorkerPoolExecutor().maxWorkers).toBe(availableParallelism());
  });

  it("still runs a job's timers while jobs keep coming one after another", async () => {
    const pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const words = new Int32Array(new SharedArrayBuffer(4));
    await pool.submit((w: Int32Array) => {
      setTimeout(() => Atomics.store(w, 0, 1), 1);
    }, words);
    let jobs = 0;
    while (Atomics.load(words, 0) === 0 && jobs < 20_000)
      await pool.submit((x: number) => x, jobs++);
    await pool.shutdown();
    expect(Atomics.load(words, 0)).toBe(1);
    expect(jobs).toBeLessThan(20_000);
  });

  it('refuses bad options', () => {
    expectError(
      thrownBy(() => new WorkerPoolExecutor({ maxWorkers: 0 })),
      RangeError,
      'maxWorkers must be a positive integer, got 0',
    );
    expectError(
      thrownBy(() => new WorkerPoolExecutor({ maxWorkers: '2' as never })),
      TypeError,
      'maxWorkers must be a number, got string',
    );
    expectError(
      thrownBy(() => new WorkerPoolExecutor({ idleTimeoutMs: -1 })),
      RangeError,
      'idleTimeoutMs must be a non-negative number, got -1',
    );
  });

  it('ends a worker that stayed idle for idleTimeoutMs', async () => {
    const pool = new WorkerPoolExecutor({ maxWorkers: 1, idleTimeoutMs: 20 });
    expect(await pool.submit((x: number) => x + 1, 1)).toBe(2);
    expect(pool.workerCount).toBe(1);
    expect(await eventually(() => pool.workerCount === 0)).toBe(true);
    expect(await pool.submit((x: number) => x + 1, 2)).toBe(3);
    await pool.shutdown();
  });

  it('shows its state', async () => {
    const pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const gate = new Gate();
    const first = pool.submit(waitAtGate, gate.words, 1);
    pool.submit(waitAtGate, gate.words, 2);
    expect(String(pool)).toBe('<WorkerPoolExecutor [open] workers=1/1 busy=1 queued=1>');
    const shutdown = pool.shutdown();
    expect(String(pool)).toBe('<WorkerPoolExecutor [shutting down] workers=1/1 busy=1 queued=1>');
    gate.open();
    await first;
    await shutdown;
    expect(String(pool)).toBe('<WorkerPoolExecutor [closed] workers=0/1 busy=0 queued=0>');
  });

  it('refuses a function that is not one', () => {
    const pool = new WorkerPoolExecutor();
    expectError(
      thrownBy(() => pool.submit('x' as never)),
      TypeError,
      'submit() expects a function or a { module, export } reference, got string',
    );
  });
});

describe('WorkerPoolExecutor: cancellation', () => {
  it('drops a cancelled queued job: it never runs, and its promise rejects', async () => {
    const pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const gate = new Gate();
    const running = pool.submit(waitAtGate, gate.words, 'running');
    const queued = pool.submit(countAndReturn, gate.words, 'queued');
    const log: unknown[] = [`cancel ${queued.cancel()}`, `again ${queued.cancel()}`];
    const error = await rejectionOf(queued);
    log.push((error as Error).constructor.name);
    gate.open();
    log.push(await running, await pool.submit(countAndReturn, gate.words, 'after'));
    log.push(`jobs that ran: ${gate.passed}`);
    await pool.shutdown();
    expect(log).toEqual([
      'cancel true',
      'again false',
      'CancelledError',
      'running',
      'after',
      'jobs that ran: 2',
    ]);
    expectError(error, CancelledError, '');
  });

  it('drops a queued job when the future of loop.runInExecutor(pool, ...) is cancelled', async () => {
    const pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const gate = new Gate();
    const outcome = await run(function* () {
      const loop = getRunningLoop();
      const running = loop.runInExecutor(pool, waitAtGate, gate.words, 'running');
      const queued = loop.runInExecutor(pool, countAndReturn, gate.words, 'queued');
      yield* (function* () {
        yield;
      })();
      queued.cancel();
      gate.open();
      return [yield* running, queued.cancelled()];
    });
    const after = await pool.submit(countAndReturn, gate.words, 'after');
    await pool.shutdown();
    expect([...outcome, after, gate.passed]).toEqual(['running', true, 'after', 2]);
  });

  it('aborts the signal of a running job, which finishes as it chooses', async () => {
    const pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const spinning = pool.submit(function (this: JobScope) {
      const signal = this.signal;
      while (!signal.aborted) {}
      return `aborted: ${signal.reason.constructor.name}: ${signal.reason.message}`;
    });
    await hostTimer(20);
    const cancelled = spinning.cancel();
    expect([cancelled, await spinning]).toEqual([
      false,
      'aborted: CancelledError: the job was cancelled',
    ]);
    await pool.shutdown();
  });

  it('delivers the abort event to a job waiting on its event loop', async () => {
    const pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const waiting = pool.submit(function (this: JobScope) {
      return new Promise((resolve) => {
        this.signal.addEventListener('abort', () => resolve('abort event'));
      });
    });
    await hostTimer(20);
    waiting.cancel();
    expect(await waiting).toBe('abort event');
    await pool.shutdown();
  });

  it('lets a module function read the signal with currentJobSignal()', async () => {
    const pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const spinning = pool.submit<string>(job('spinUntilAborted'), 5_000);
    await hostTimer(20);
    spinning.cancel();
    expect(await spinning).toBe('saw CancelledError: the job was cancelled');
    await pool.shutdown();
  });

  it('with terminateOnCancel, ends the worker of a cancelled job and goes on', async () => {
    const pool = new WorkerPoolExecutor({ maxWorkers: 1, terminateOnCancel: true });
    const endless = pool.submit(() => {
      for (;;) {}
    });
    const next = pool.submit((x: number) => x * 2, 21);
    await hostTimer(20);
    expect(endless.cancel()).toBe(true);
    expectError(await rejectionOf(endless), CancelledError, '');
    expect(await next).toBe(42);
    expect(pool.workerCount).toBe(1);
    await pool.shutdown();
  });
});

describe('WorkerPoolExecutor: a worker that dies', () => {
  it('fails its job when it throws outside the job, and is replaced', async () => {
    const pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const crashed = pool.submit(() => {
      setTimeout(() => {
        throw new Error('boom');
      }, 0);
      return new Promise(() => {});
    });
    const error = (await rejectionOf(crashed)) as BrokenWorkerError;
    expectError(
      error,
      BrokenWorkerError,
      'the worker thread running this job exited with code 1: uncaught Error: boom',
    );
    expect(error.exitCode).toBe(1);
    expectError(error.cause, Error, 'boom');
    expect(await pool.submit((x: number) => x + 1, 1)).toBe(2);
    await pool.shutdown();
  });

  it('fails its job on process.exit(), naming the exit code, and runs the queue on', async () => {
    const pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const exited = pool.submit(() => process.exit(3));
    const queued = pool.submit(() => 'queued job ran');
    const error = (await rejectionOf(exited)) as BrokenWorkerError;
    expectError(error, BrokenWorkerError, 'the worker thread running this job exited with code 3');
    expect([error.exitCode, error.cause, await queued]).toEqual([3, undefined, 'queued job ran']);
    await pool.shutdown();
  });

  it('fails its job when it runs out of memory under resourceLimits', async () => {
    const pool = new WorkerPoolExecutor({
      maxWorkers: 1,
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    const hog = pool.submit(() => {
      const hoard: number[][] = [];
      for (;;) hoard.push(new Array(100_000).fill(1));
    });
    const error = (await rejectionOf(hog)) as BrokenWorkerError;
    expect([error.constructor, error.exitCode]).toEqual([BrokenWorkerError, 1]);
    expect(error.message).toBe(
      'the worker thread running this job exited with code 1: uncaught Error: ' +
        'Worker terminated due to reaching memory limit: JS heap out of memory',
    );
    expect(await pool.submit(() => 'still working')).toBe('still working');
    await pool.shutdown();
  });
});

describe('WorkerPoolExecutor.shutdown()', () => {
  it('refuses new work after shutdown', async () => {
    const pool = new WorkerPoolExecutor();
    await pool.shutdown();
    expectError(
      thrownBy(() => pool.submit(() => 1)),
      RuntimeError,
      'cannot schedule new futures after shutdown',
    );
  });

  it('waits for the running and the queued jobs, then ends the workers', async () => {
    const pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const gate = new Gate();
    const log: string[] = [];
    const jobs = [0, 1, 2].map((i) =>
      pool.submit(waitAtGate, gate.words, i).then((value) => {
        log.push(`job ${value}`);
      }),
    );
    const shutdown = pool.shutdown({ wait: true })!.then(() => {
      log.push(`shutdown done, workers=${pool.workerCount}`);
    });
    await hostTimer(10);
    log.push('opening the gate');
    gate.open();
    await Promise.all([...jobs, shutdown]);
    expect(log).toEqual([
      'opening the gate',
      'job 0',
      'job 1',
      'job 2',
      'shutdown done, workers=0',
    ]);
  });

  it('with cancelFutures, cancels the queued jobs and lets the running one finish', async () => {
    const pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const gate = new Gate();
    const running = pool.submit(waitAtGate, gate.words, 'running');
    const queued = [
      pool.submit(countAndReturn, gate.words, 'a'),
      pool.submit(countAndReturn, gate.words, 'b'),
    ];
    const shutdown = pool.shutdown({ cancelFutures: true });
    const outcomes = await Promise.all(queued.map((p) => rejectionOf(p)));
    gate.open();
    expect(await running).toBe('running');
    await shutdown;
    expect(outcomes.map((e) => (e as Error).constructor)).toEqual([CancelledError, CancelledError]);
    expect(gate.passed).toBe(1);
  });

  it('without wait, returns at once and the queued work still runs', async () => {
    const pool = new WorkerPoolExecutor({ maxWorkers: 1 });
    const gate = new Gate();
    const jobs = [pool.submit(waitAtGate, gate.words, 1), pool.submit(waitAtGate, gate.words, 2)];
    expect(pool.shutdown({ wait: false })).toBeUndefined();
    gate.open();
    expect(await Promise.all(jobs)).toEqual([1, 2]);
    expect(await eventually(() => pool.workerCount === 0)).toBe(true);
  });

  it('is what run() does to the default pool at the end', async () => {
    let pool: WorkerPoolExecutor | null = null;
    await run(function* () {
      pool = new WorkerPoolExecutor({ maxWorkers: 1 });
      getRunningLoop().setDefaultExecutor(pool);
      yield* getRunningLoop().runInExecutor(null, () => 1);
    });
    expect(String(pool)).toBe('<WorkerPoolExecutor [closed] workers=0/1 busy=0 queued=0>');
  });
});

describe('WorkerPoolExecutor: parallelism', () => {
  // Retried: on a shared machine another process can hold a core for a whole attempt.
  it('runs CPU-bound jobs faster than one after another', { retry: 2 }, async () => {
    function fib(n: number): number {
      return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }
    const N = 30;
    const speedUp = await run(function* () {
      const workers = 2;
      const pool = new WorkerPoolExecutor({ maxWorkers: workers });
      const loop = getRunningLoop();
      // Warm every worker up (start it, compile fib) before measuring.
      yield* gather(Array.from({ length: workers }, () => loop.runInExecutor(pool, fib, N)));
      fib(N);
      // The best of five rounds: other processes on the machine only slow a round down, and
      // jobs run one after another would give about 1 in every round.
      let best = 0;
      for (let round = 0; round < 5; round++) {
        let start = performance.now();
        for (let i = 0; i < 8; i++) fib(N);
        const inTurn = performance.now() - start;
        start = performance.now();
        const results = yield* gather(
          Array.from({ length: 8 }, () => loop.runInExecutor(pool, fib, N)),
        );
        best = Math.max(best, inTurn / (performance.now() - start));
        expect(results).toEqual(Array(8).fill(832040));
      }
      pool.shutdown({ wait: false });
      return best;
    });
    console.log(`8 x fib(${N}): speed-up ${speedUp.toFixed(2)} on 2 workers`);
    expect(speedUp).toBeGreaterThan(1.3);
  });
});
