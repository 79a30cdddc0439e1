// Floor: the cost of one bare `await` of an already-resolved promise.
import { report, secondsSince } from '../lib/report.mjs';

const N = 10_000_000;
const resolved = Promise.resolve(1);

async function once() {
  const start = process.hrtime.bigint();
  let sum = 0;
  for (let i = 0; i < N; i++) sum += await resolved;
  const seconds = secondsSince(start);
  if (sum !== N) throw new Error('await floor: wrong count');
  return seconds;
}

await once();
report('floor', 'await-resolved', N, await once());
