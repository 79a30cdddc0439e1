// queue with asyncio-ts: a producer and a consumer through Queue(maxsize 1), 200,000 items;
// check the sum.
import { createTask, gather, Queue, run } from 'asyncio-ts';
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const { items: N, maxsize: MAXSIZE } = SIZES.queue;

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
  const queue = new Queue(MAXSIZE);
  const consuming = createTask(consumer(queue));
  const producing = createTask(producer(queue));
  const [total] = yield* gather([consuming, producing]);
  const seconds = secondsSince(start);
  check(total === (N * (N - 1)) / 2, 'sum of items');
  return seconds;
}

await warmUp(() => run(main()));
report('queue', 'asyncio-ts', N, await run(main()));
