/**
 * Property tests: random producers, consumers and cancellations over a bounded queue, on a
 * VirtualTimeLoop, so every run is the same whatever the host does.
 */
import {
  CancelledError,
  type Coro,
  type Future,
  getRunningLoop,
  VirtualTimeLoop,
} from '@asyncio-ts/core-loop';
import { createTask, gather, run, sleep, type Task } from '@asyncio-ts/tasks';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LifoQueue, PriorityQueue, Queue, QueueShutDown } from '../src/index.js';

interface Scenario {
  kind: 'Queue' | 'LifoQueue' | 'PriorityQueue';
  maxsize: number;
  /** Per producer, the pause (ms) before each of its puts. */
  producers: number[][];
  /** Per consumer, the pause before each get and the work (ms) before its taskDone(). */
  consumers: { pause: number; work: number }[];
  /**
   * Tasks to cancel (index into producers then consumers, modulo their count) and when: at a
   * virtual time, or right after the `at`-th event (a put or a get, synchronously, so a task that
   * was just woken is cancelled before it runs).
   */
  cancels: { target: number; at: number; afterEvent: boolean }[];
}

const scenarios: fc.Arbitrary<Scenario> = fc.record({
  kind: fc.constantFrom('Queue' as const, 'LifoQueue' as const, 'PriorityQueue' as const),
  maxsize: fc.integer({ min: 1, max: 4 }),
  producers: fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 6 }), {
    minLength: 1,
    maxLength: 3,
  }),
  consumers: fc.array(
    fc.record({ pause: fc.integer({ min: 0, max: 3 }), work: fc.integer({ min: 0, max: 3 }) }),
    { minLength: 1, maxLength: 3 },
  ),
  cancels: fc.array(
    fc.record({
      target: fc.nat({ max: 5 }),
      at: fc.integer({ min: 0, max: 12 }),
      afterEvent: fc.boolean(),
    }),
    { maxLength: 4 },
  ),
});

interface Outcome {
  /** Every event, with its virtual time: the whole history of the run. */
  log: string[];
  /** Items in the order their put went through. */
  put: number[];
  /** Items in the order they were got. */
  got: number[];
  /** How many items were marked done. */
  done: number;
  /** Items still in the queue at the end. */
  remaining: number[];
  /** Each join() that returned: whether nothing was unfinished at some moment while it waited. */
  joinsSawZero: boolean[];
  /** The deadline found a producer still blocked while a consumer was alive to make room. */
  stuckProducer: boolean;
  /** Long after the producers finished, items still waited while a consumer was alive. */
  stuckItems: boolean;
  /** Whether a join() made at the end returned, and whether it should have. */
  finalJoin: { returned: boolean; expected: boolean };
}

function makeQueue(kind: Scenario['kind'], maxsize: number): Queue<number> {
  if (kind === 'LifoQueue') return new LifoQueue<number>(maxsize);
  if (kind === 'PriorityQueue') return new PriorityQueue<number>(maxsize);
  return new Queue<number>(maxsize);
}

function runScenario(scenario: Scenario): Promise<Outcome> {
  return run(
    function* (): Coro<Outcome> {
      const loop = getRunningLoop();
      const queue = makeQueue(scenario.kind, scenario.maxsize);
      const outcome: Outcome = {
        log: [],
        put: [],
        got: [],
        done: 0,
        remaining: [],
        joinsSawZero: [],
        stuckProducer: false,
        stuckItems: false,
        finalJoin: { returned: false, expected: false },
      };
      const onEvent = new Map<number, (() => void)[]>();
      const note = (event: string): void => {
        outcome.log.push(`${loop.time()} ${event}`);
        for (const action of onEvent.get(outcome.log.length) ?? []) action();
      };
      // Counts the moments at which no item was unfinished (after a taskDone()).
      let zeroMoments = 0;
      // Set by the next put, for the join() watcher to wait on.
      let nextPut: Future<void> | null = null;

      function* producer(index: number, pauses: number[]): Coro<void> {
        for (let i = 0; i < pauses.length; i++) {
          yield* sleep(pauses[i]!);
          // Distinct items; priorities spread so the three kinds order them differently.
          const item = ((i * 7 + index * 3) % 10) * 100 + index * 10 + i;
          yield* queue.put(item);
          outcome.put.push(item);
          note(`p${index} put ${item}`);
          nextPut?.setResult(undefined);
          nextPut = null;
        }
      }

      function* consumer(index: number, pause: number, work: number): Coro<void> {
        try {
          for (;;) {
            yield* sleep(pause);
            const item = yield* queue.get();
            outcome.got.push(item);
            note(`c${index} got ${item}`);
            yield* sleep(work);
            queue.taskDone();
            outcome.done++;
            if (outcome.done === outcome.put.length) zeroMoments++;
          }
        } catch (error) {
          if (!(error instanceof QueueShutDown)) throw error;
          note(`c${index} saw shutdown`);
        }
      }

      function* joiner(): Coro<void> {
        for (;;) {
          const before = zeroMoments;
          const unfinishedAtCall = outcome.put.length - outcome.done;
          yield* queue.join();
          outcome.joinsSawZero.push(unfinishedAtCall === 0 || zeroMoments > before);
          note('join returned');
          nextPut = loop.createFuture<void>();
          yield* nextPut;
        }
      }

      const producers = scenario.producers.map((pauses, i) => createTask(producer(i, pauses)));
      const consumers = scenario.consumers.map((c, i) => createTask(consumer(i, c.pause, c.work)));
      const all: Task<void>[] = [...producers, ...consumers];
      for (const { target, at, afterEvent } of scenario.cancels) {
        const task = all[target % all.length]!;
        const cancel = (): void => {
          if (task.cancel()) outcome.log.push(`${loop.time()} cancel ${all.indexOf(task)}`);
        };
        if (afterEvent) onEvent.set(at, [...(onEvent.get(at) ?? []), cancel]);
        else loop.callLater(at, cancel);
      }
      const watcher = createTask(joiner());

      // Producers blocked on a full queue whose consumers were all cancelled are failed by a
      // shutdown at a deadline, later than anything else in a scenario.
      const deadline = loop.callLater(1000, () => {
        note('deadline');
        outcome.stuckProducer = consumers.some((c) => !c.done());
        queue.shutdown();
      });
      const produced = yield* gather(producers, { returnExceptions: true });
      deadline.cancel();
      note('producers finished');
      // A live consumer takes every item left well within this time, unless a wake-up was lost.
      yield* sleep(500);
      outcome.stuckItems = !queue.empty() && consumers.some((c) => !c.done());
      queue.shutdown();
      const consumed = yield* gather(consumers, { returnExceptions: true });
      for (const result of [...produced, ...consumed]) {
        const expected =
          result === undefined ||
          result instanceof CancelledError ||
          result instanceof QueueShutDown;
        if (!expected) throw result;
      }
      while (!queue.empty()) outcome.remaining.push(queue.getNowait());

      // Nothing got is left unfinished unless a consumer was cancelled between get and taskDone.
      outcome.finalJoin.expected =
        outcome.remaining.length === 0 && outcome.done === outcome.put.length;
      const finalJoin = createTask(queue.join());
      yield* sleep(0);
      yield* sleep(0);
      outcome.finalJoin.returned = finalJoin.done();
      finalJoin.cancel();
      watcher.cancel();
      yield* gather([finalJoin, watcher], { returnExceptions: true });
      return outcome;
    },
    { loopFactory: () => new VirtualTimeLoop() },
  );
}

describe('Queue properties under random producers, consumers and cancellations', () => {
  it('gets every item put exactly once, or leaves it in the queue', async () => {
    await fc.assert(
      fc.asyncProperty(scenarios, async (scenario) => {
        const { put, got, remaining } = await runScenario(scenario);
        expect(new Set(got).size).toBe(got.length);
        expect([...got, ...remaining].sort((a, b) => a - b)).toEqual(
          [...put].sort((a, b) => a - b),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('hands a FIFO queue’s items out in exactly the order their puts went through', async () => {
    await fc.assert(
      fc.asyncProperty(scenarios, async (scenario) => {
        const { put, got, remaining } = await runScenario({ ...scenario, kind: 'Queue' });
        expect([...got, ...remaining]).toEqual(put);
      }),
      { numRuns: 100 },
    );
  });

  it('never leaves an item waiting while a consumer lives, nor a producer blocked', async () => {
    await fc.assert(
      fc.asyncProperty(scenarios, async (scenario) => {
        const { stuckProducer, stuckItems } = await runScenario(scenario);
        expect([stuckProducer, stuckItems]).toEqual([false, false]);
      }),
      { numRuns: 100 },
    );
  });

  it('returns from join() only after every item put so far was marked done', async () => {
    await fc.assert(
      fc.asyncProperty(scenarios, async (scenario) => {
        const { joinsSawZero, finalJoin } = await runScenario(scenario);
        expect(joinsSawZero.every(Boolean)).toBe(true);
        expect(finalJoin.returned).toBe(finalJoin.expected);
      }),
      { numRuns: 100 },
    );
  });

  it('gives the same history on every run, whatever the host does meanwhile', async () => {
    await fc.assert(
      fc.asyncProperty(scenarios, fc.integer({ min: 0, max: 3 }), async (scenario, noise) => {
        const first = await runScenario(scenario);
        // Busy the host between and during the second run: timers and immediates that do nothing.
        const timers = Array.from({ length: noise }, (_, i) => setTimeout(() => {}, i));
        for (let i = 0; i < noise; i++) setImmediate(() => {});
        await new Promise((resolve) => setTimeout(resolve, noise));
        const second = await runScenario(scenario);
        for (const timer of timers) clearTimeout(timer);
        expect(second.log).toEqual(first.log);
      }),
      { numRuns: 30 },
    );
  });
});

type Op =
  | { op: 'get' | 'put' | 'getNowait' | 'putNowait' | 'tick' }
  | { op: 'cancel'; index: number };

/** One driver task's random actions, run back to back unless a 'tick' gives up the loop. */
const operations: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    { arbitrary: fc.constant<Op>({ op: 'get' }), weight: 3 },
    { arbitrary: fc.constant<Op>({ op: 'put' }), weight: 3 },
    { arbitrary: fc.constant<Op>({ op: 'getNowait' }), weight: 2 },
    { arbitrary: fc.constant<Op>({ op: 'putNowait' }), weight: 2 },
    { arbitrary: fc.constant<Op>({ op: 'tick' }), weight: 3 },
    {
      arbitrary: fc.record({ op: fc.constant('cancel' as const), index: fc.nat({ max: 3 }) }),
      weight: 2,
    },
  ),
  { minLength: 5, maxLength: 40 },
);

describe('Queue properties under one driver that cancels tasks right after waking them', () => {
  it('passes the wake-up of a cancelled getter or putter on: no item or slot is left stuck', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('Queue' as const, 'LifoQueue' as const, 'PriorityQueue' as const),
        fc.integer({ min: 1, max: 3 }),
        operations,
        async (kind, maxsize, ops) => {
          const seen = await run(
            function* () {
              const queue = makeQueue(kind, maxsize);
              const put: number[] = [];
              const got: number[] = [];
              const getters: Task<void>[] = [];
              const putters: Task<void>[] = [];
              const spawned: Task<void>[] = [];
              let next = 0;
              for (const step of ops) {
                switch (step.op) {
                  case 'get': {
                    const task = createTask(
                      (function* (): Coro<void> {
                        got.push(yield* queue.get());
                      })(),
                    );
                    getters.push(task);
                    spawned.push(task);
                    break;
                  }
                  case 'put': {
                    const item = next++;
                    const task = createTask(
                      (function* (): Coro<void> {
                        yield* queue.put(item);
                        put.push(item);
                      })(),
                    );
                    putters.push(task);
                    spawned.push(task);
                    break;
                  }
                  case 'getNowait':
                    if (!queue.empty()) got.push(queue.getNowait());
                    break;
                  case 'putNowait':
                    if (!queue.full()) {
                      queue.putNowait(next);
                      put.push(next++);
                    }
                    break;
                  case 'cancel': {
                    // Mostly the oldest live tasks: the ones a put or get just woke.
                    const alive = spawned.filter((task) => !task.done());
                    if (alive.length > 0) alive[step.index % alive.length]!.cancel();
                    break;
                  }
                  case 'tick':
                    yield;
                    break;
                }
              }
              // The loop runs everything ready before the virtual clock moves: all has settled.
              yield* sleep(1);
              const waiting = (tasks: Task<void>[]) => tasks.filter((t) => !t.done()).length;
              const remaining: number[] = [];
              const stuck = {
                getters: queue.empty() ? 0 : waiting(getters),
                putters: queue.full() ? 0 : waiting(putters),
              };
              while (!queue.empty()) remaining.push(queue.getNowait());
              for (const task of spawned) task.cancel();
              return { put, got, remaining, stuck };
            },
            { loopFactory: () => new VirtualTimeLoop() },
          );
          expect(seen.stuck).toEqual({ getters: 0, putters: 0 });
          expect(new Set(seen.got).size).toBe(seen.got.length);
          expect([...seen.got, ...seen.remaining].sort((a, b) => a - b)).toEqual(
            [...seen.put].sort((a, b) => a - b),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
