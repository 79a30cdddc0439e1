// queue with Effect 4: a producer and a consumer fiber through Queue.bounded(1), 200,000 items
// (Queue.offer suspends while the queue is full, Queue.take while it is empty); check the sum.
import { Effect, Fiber, Queue } from 'effect';
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const { items: N, maxsize: MAXSIZE } = SIZES.queue;

const producer = (queue) =>
  Effect.gen(function* () {
    for (let i = 0; i < N; i++) yield* Queue.offer(queue, i);
  });

const consumer = (queue) =>
  Effect.gen(function* () {
    let total = 0;
    for (let i = 0; i < N; i++) total += yield* Queue.take(queue);
    return total;
  });

const main = Effect.gen(function* () {
  const start = process.hrtime.bigint();
  const queue = yield* Queue.bounded(MAXSIZE);
  const consuming = yield* Effect.forkChild(consumer(queue));
  const producing = yield* Effect.forkChild(producer(queue));
  const [total] = yield* Fiber.joinAll([consuming, producing]);
  const seconds = secondsSince(start);
  check(total === (N * (N - 1)) / 2, 'sum of items');
  return seconds;
});

await warmUp(() => Effect.runPromise(main));
report('queue', 'effect', N, await Effect.runPromise(main));
