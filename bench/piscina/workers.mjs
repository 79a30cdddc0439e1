// The functions the piscina workers run: piscina imports this module in each worker and calls
// the export a task names.
import { fib as fibonacci } from '../lib/report.mjs';

export function add({ a, b }) {
  return a + b;
}

export function fib(n) {
  return fibonacci(n);
}
