// Floor: the cost of one bare generator resume (gen.next() on a generator that only yields).
import { report, secondsSince } from '../lib/report.mjs';

const N = 20_000_000;

function* forever() {
  let n = 0;
  for (;;) {
    yield n;
    n++;
  }
}

function once() {
  const gen = forever();
  const start = process.hrtime.bigint();
  let last = 0;
  for (let i = 0; i < N; i++) last = gen.next().value;
  const seconds = secondsSince(start);
  if (last !== N - 1) throw new Error('generator floor: wrong count');
  return seconds;
}

once();
report('floor', 'generator-resume', N, once());
