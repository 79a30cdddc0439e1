// cancel with Effection 4: 100,000 children suspended forever; halt each one, then wait for all
// of them to have stopped (Effection's form of gather with return_exceptions: a halted task ends
// without a value).
import { run, spawn, suspend, until } from 'effection';
import { check, report, SIZES, secondsSince, warmUp } from '../lib/report.mjs';

const N = SIZES.cancel.tasks;

function* waiter() {
  yield* suspend();
}

function* main() {
  const start = process.hrtime.bigint();
  const tasks = new Array(N);
  for (let i = 0; i < N; i++) tasks[i] = yield* spawn(waiter);
  yield* until(Promise.resolve()); // every child is now suspended
  const halts = new Array(N);
  for (let i = 0; i < N; i++) halts[i] = tasks[i].halt();
  yield* until(Promise.all(halts));
  const seconds = secondsSince(start);
  check(halts.length === N, 'every task halted');
  return seconds;
}

await warmUp(() => run(main));
report('cancel', 'effection', N, await run(main));
