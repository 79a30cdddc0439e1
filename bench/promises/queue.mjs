// queue with plain async/await: a producer and a consumer through a bounded queue of capacity 1
// written inline (an array of items and a line of waiting resolvers on each side, handing a
// waiter its item or its slot directly, as asyncio.Queue wakes its getters and putters).
// 200,000 items; check the sum.
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const { items: N, maxsize: MAXSIZE } = SIZES.queue;

class BoundedQueue {
  constructor(maxsize) {
    this.maxsize = maxsize;
    this.items = [];
    this.getters = [];
    this.putters = [];
  }

  put(item) {
    const getter = this.getters.shift();
    if (getter !== undefined) {
      getter(item);
      return undefined;
    }
    if (this.items.length < this.maxsize) {
      this.items.push(item);
      return undefined;
    }
    return new Promise((resolve) => this.putters.push(() => resolve(this.items.push(item))));
  }

  get() {
    if (this.items.length > 0) {
      const item = this.items.shift();
      const putter = this.putters.shift();
      if (putter !== undefined) putter();
      return item;
    }
    return new Promise((resolve) => this.getters.push(resolve));
  }
}

async function producer(queue) {
  for (let i = 0; i < N; i++) await queue.put(i);
}

async function consumer(queue) {
  let total = 0;
  for (let i = 0; i < N; i++) total += await queue.get();
  return total;
}

async function once() {
  const start = process.hrtime.bigint();
  const queue = new BoundedQueue(MAXSIZE);
  const [total] = await Promise.all([consumer(queue), producer(queue)]);
  const seconds = secondsSince(start);
  check(total === (N * (N - 1)) / 2, 'sum of items');
  return seconds;
}

await warmUp(() => once());
report('queue', 'promises', N, await once());
