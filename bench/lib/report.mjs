// Shared helpers for the JavaScript workload scripts.
// Every script warms its workload up (see warmUp), then runs it once measured, and prints one
// JSON line.

import v8 from 'node:v8';
import vm from 'node:vm';

/** Seconds elapsed since `start` (a value of process.hrtime.bigint()). */
export function secondsSince(start) {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * How a script warms up before its measured run: the workload runs WARMUP.runs times, or fewer
 * once WARMUP.seconds have passed (never fewer than once). A JIT needs a few runs of a workload
 * before its code is settled, so the measured run is the steady state a long-running program
 * sees; python/common.py applies the same rule, and a contender that needs seconds per run warms
 * up once. The same numbers are in python/common.py.
 */
export const WARMUP = { runs: 3, seconds: 3 };

/** Runs `once()` (which returns a promise) to warm up, following {@link WARMUP}. */
export async function warmUp(once) {
  const start = process.hrtime.bigint();
  for (let run = 0; run < WARMUP.runs; run++) {
    await once();
    if (secondsSince(start) >= WARMUP.seconds) return;
  }
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

/** The median of `values` (not empty). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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
  'thread-small': { calls: 10_000 },
  'thread-burst': { calls: 10_000 },
  'thread-cpu': { calls: 8, fibN: 30, rounds: 5 },
  memory: { tasks: 100_000, warmupTasks: 1_000 },
};

/** The CPU-bound function of thread-cpu, self-contained so it can run on a worker thread. */
export function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/** fib(30), the answer thread-cpu checks. */
export const FIB_30 = 832_040;

/**
 * Runs `gc()` (from --expose-gc, or enabled at run time when the flag is missing) twice, so
 * heapUsed counts only what is still reachable.
 */
export function collectGarbage() {
  let gc = globalThis.gc;
  if (typeof gc !== 'function') {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc');
    globalThis.gc = gc;
  }
  gc();
  gc();
}
