// Shared helpers for the JavaScript workload scripts.
// Every script runs its workload once to warm up, then once measured, and prints one JSON line.

/** Seconds elapsed since `start` (a value of process.hrtime.bigint()). */
export function secondsSince(start) {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Prints the result line that run.mjs collects. */
export function report(workload, contender, ops, seconds, extra = {}) {
  process.stdout.write(`${JSON.stringify({ workload, contender, ops, seconds, ...extra })}\n`);
}

/** Throws when a workload computed the wrong answer: a fast wrong result is no result. */
export function check(condition, message) {
  if (!condition) throw new Error(`workload check failed: ${message}`);
}

/** Mulberry32: a small seeded PRNG, implemented the same way in python/common.py. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The delays of the timers workload: `count` whole milliseconds in [0, maxMs], seeded. */
export function timerDelays(count, maxMs, seed = 42) {
  const next = mulberry32(seed);
  const delays = new Array(count);
  for (let i = 0; i < count; i++) delays[i] = Math.floor(next() * (maxMs + 1));
  return delays;
}

/** Workload sizes, shared by every contender (python/common.py holds the same numbers). */
export const SIZES = {
  spawn: { tasks: 100_000 },
  switch: { tasks: 1_000, switches: 1_000 },
  timers: { tasks: 100_000, maxMs: 50 },
  cancel: { tasks: 100_000 },
  group: { groups: 10_000, children: 10 },
  queue: { items: 200_000, maxsize: 1 },
  lock: { tasks: 1_000, acquisitions: 100 },
};
