// The plain form of a thread pool: a few worker_threads and a postMessage round trip per call,
// with no library: each call gets an id, goes to the next worker in turn, and the reply with
// that id resolves its promise. No queue of its own, no cancellation, no error handling beyond
// the reply: the least a pool can do.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
const functions = { add: (a, b) => a + b, fib };
parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, value: functions[m.fn](...m.args) }));
`;

export function startWorkers(count = availableParallelism()) {
  const pending = new Map();
  const workers = [];
  for (let i = 0; i < count; i++) {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on('message', (reply) => {
      const resolve = pending.get(reply.id);
      pending.delete(reply.id);
      resolve(reply.value);
    });
    workers.push(worker);
  }
  let nextId = 0;
  return {
    call(fn, ...args) {
      const id = nextId++;
      const worker = workers[id % workers.length];
      return new Promise((resolve) => {
        pending.set(id, resolve);
        worker.postMessage({ id, fn, args });
      });
    },
    close: () => Promise.all(workers.map((w) => w.terminate())),
  };
}
