// queue with Effection 4: a producer and a consumer through a queue of capacity 1. Effection's
// own queue (createQueue) is unbounded, so the bound is a second createQueue holding the free
// slots: the producer takes a slot before it adds an item, the consumer gives the slot back
// after it takes one. 200,000 items; check the sum.
import { all, createQueue, run, spawn } from 'effection';
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const { items: N, maxsize: MAXSIZE } = SIZES.queue;

function boundedQueue(maxsize) {
  const items = createQueue();
  const slots = createQueue();
  for (let i = 0; i < maxsize; i++) slots.add(undefined);
  return {
    *put(item) {
      yield* slots.next();
      items.add(item);
    },
    *get() {
      const next = yield* items.next();
      slots.add(undefined);
      return next.value;
    },
  };
}

function* producer(queue) {
  for (let i = 0; i < N; i++) yield* queue.put(i);
}

function* consumer(queue) {
  let total = 0;
  for (let i = 0; i < N; i++) total += yield* queue.get();
  return total;
}

function* main() {
  const start = process.hrtime.bigint();
  const queue = boundedQueue(MAXSIZE);
  const consuming = yield* spawn(() => consumer(queue));
  const producing = yield* spawn(() => producer(queue));
  const [total] = yield* all([consuming, producing]);
  const seconds = secondsSince(start);
  check(total === (N * (N - 1)) / 2, 'sum of items');
  return seconds;
}

await warmUp(() => run(main));
report('queue', 'effection', N, await run(main));
