#!/usr/bin/env node
// Runs every (workload, contender) pair side by side: for each workload, measurement rounds
// interleave the contenders (A B C ... A B C ...), one process launch per measurement. Each launch
// warms up in-process, then measures once and prints one JSON line. This script gathers the lines,
// computes medians and ranges, the ratio to asyncio-ts, and writes bench/results/latest.json,
// BENCHMARKS.md at the repository root and the chart of the ratios, bench/results/ratios.svg.
//
//   node bench/run.mjs [--runs N] [--only workload[,workload]] [--timeout seconds] [--no-write]
//   node bench/run.mjs --render   (rewrite BENCHMARKS.md and the chart from bench/results/latest.json)
//   node bench/run.mjs --chart    (rewrite only the chart from bench/results/latest.json)

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratioChart } from './lib/chart.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH_DIR, '..');

// ---------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const opts = { runs: 5, only: null, timeout: 600, write: true, render: false, chart: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--runs') opts.runs = Number.parseInt(value(), 10);
    else if (arg.startsWith('--runs=')) opts.runs = Number.parseInt(arg.slice(7), 10);
    else if (arg === '--only') opts.only = value().split(',');
    else if (arg.startsWith('--only=')) opts.only = arg.slice(7).split(',');
    else if (arg === '--timeout') opts.timeout = Number(value());
    else if (arg === '--no-write') opts.write = false;
    else if (arg === '--render') opts.render = true;
    else if (arg === '--chart') opts.chart = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(
        'usage: node bench/run.mjs [--runs N] [--only workload[,workload]] [--timeout s] [--no-write] [--render] [--chart]\n',
      );
      process.exit(0);
    } else throw new Error(`unknown argument: ${arg}`);
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs must be >= 1');
  return opts;
}

// ---------------------------------------------------------------------------------------------
// Workloads: how each result line becomes the figure BENCH.md names

/** Who runs the thread workloads: piscina takes the place of Effection and Effect there. */
const THREAD_CONTENDERS = ['asyncio-ts', 'promises', 'piscina', 'asyncio', 'uvloop'];
/** Rows the thread workloads show without running anything. */
const NO_THREAD_POOL = {
  effection: 'no worker-thread pool',
  effect: 'its worker pool needs @effect/platform-node; piscina is the thread contender',
};
/** Who runs a workload that names no contenders of its own: everyone but piscina. */
const LOOP_CONTENDERS = ['asyncio-ts', 'promises', 'effection', 'effect', 'asyncio', 'uvloop'];

const WORKLOADS = {
  floor: {
    title: 'floor',
    unit: 'ns per operation',
    better: 'lower',
    figure: (r) => (r.seconds * 1e9) / r.ops,
    describe: 'bare generator resume and bare await of a resolved promise',
  },
  spawn: {
    title: 'spawn',
    unit: 'tasks/s',
    better: 'higher',
    figure: (r) => r.ops / r.seconds,
    describe: '100,000 tasks, each sleep(0) once and returns its index; gather; check the sum',
  },
  switch: {
    title: 'switch',
    unit: 'task switches/s',
    better: 'higher',
    figure: (r) => r.ops / r.seconds,
    describe: '1,000 tasks, each doing 1,000 sleep(0)',
  },
  timers: {
    title: 'timers',
    unit: 'ms overhead (wall − 50 ms)',
    better: 'lower',
    figure: (r) => r.seconds * 1000 - (r.maxDelayMs ?? 50),
    describe: '100,000 tasks each sleeping a seeded pseudo-random 0-50 ms',
  },
  cancel: {
    title: 'cancel',
    unit: 'µs per task',
    better: 'lower',
    figure: (r) => (r.seconds * 1e6) / r.ops,
    describe:
      '100,000 tasks each waiting on a never-set future; cancel all; gather(returnExceptions)',
  },
  group: {
    title: 'group',
    unit: 'children/s',
    better: 'higher',
    figure: (r) => r.ops / r.seconds,
    describe:
      '10,000 task groups of 10 children each (each child sleep(0) once), one after another',
  },
  queue: {
    title: 'queue',
    unit: 'items/s',
    better: 'higher',
    figure: (r) => r.ops / r.seconds,
    describe: 'a producer and a consumer through Queue(maxsize 1), 200,000 items; check the sum',
  },
  lock: {
    title: 'lock',
    unit: 'acquisitions/s',
    better: 'higher',
    figure: (r) => r.ops / r.seconds,
    describe: '1,000 tasks, each 100 times: acquire one Lock, sleep(0), release',
  },
  'thread-small': {
    title: 'thread-small',
    unit: 'calls/s',
    better: 'higher',
    figure: (r) => r.ops / r.seconds,
    describe:
      'after one call to warm the pool, 10,000 calls of a function adding two numbers on a ' +
      'worker thread, one after another (the round-trip latency)',
    contenders: THREAD_CONTENDERS,
    na: NO_THREAD_POOL,
  },
  'thread-burst': {
    title: 'thread-burst',
    unit: 'calls/s',
    better: 'higher',
    figure: (r) => r.ops / r.seconds,
    describe: "10,000 such calls submitted at once and gathered (the pool's throughput)",
    contenders: THREAD_CONTENDERS,
    na: NO_THREAD_POOL,
  },
  'thread-cpu': {
    title: 'thread-cpu',
    unit: '× speed-up',
    better: 'higher',
    figure: (r) => r.sequentialSeconds / r.seconds,
    describe:
      'after warming the pool, 8 calls of fib(30) on worker threads at once: the speed-up over ' +
      'running them in turn on the loop thread',
    contenders: THREAD_CONTENDERS,
    na: NO_THREAD_POOL,
  },
  memory: {
    title: 'memory',
    unit: 'bytes per pending task',
    better: 'lower',
    figure: (r) => r.bytes / r.ops,
    describe:
      '100,000 tasks pending on one event; the growth of the heap (after full collections, the ' +
      'tasks kept alive) divided by 100,000',
    contenders: LOOP_CONTENDERS,
    nodeFlags: ['--expose-gc'],
  },
};

const WORKLOAD_ORDER = [
  'floor',
  'spawn',
  'switch',
  'queue',
  'timers',
  'cancel',
  'group',
  'lock',
  'thread-small',
  'thread-burst',
  'thread-cpu',
  'memory',
];
const CONTENDER_ORDER = [
  'asyncio-ts',
  'promises',
  'effection',
  'effect',
  'piscina',
  'asyncio',
  'uvloop',
];
const FLOORS = ['generator-resume', 'await-resolved'];
/** The chart of the ratios, relative to the repository root (BENCHMARKS.md embeds it). */
const CHART_LINK = 'bench/results/ratios.svg';

// ---------------------------------------------------------------------------------------------
// Environment discovery

function tryRun(cmd, args) {
  try {
    return execFileSync(cmd, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

function resolveOnPath(cmd) {
  return tryRun('sh', ['-c', `command -v ${cmd}`]);
}

/** Finds a Python that can import uvloop (installing Debian's python3-uvloop if none can). */
function findPython(notes) {
  const candidates = [];
  for (const p of [resolveOnPath('python3'), '/usr/bin/python3', '/usr/local/bin/python3']) {
    if (p && existsSync(p) && !candidates.includes(p)) candidates.push(p);
  }
  const withUvloop = () =>
    candidates.find((p) => tryRun(p, ['-c', 'import uvloop; print(uvloop.__version__)']) !== null);
  let uv = withUvloop();
  if (!uv) {
    notes.push('no python3 could import uvloop: trying `apt-get install -y python3-uvloop`');
    const res = spawnSync('apt-get', ['install', '-y', 'python3-uvloop'], { stdio: 'ignore' });
    if (res.status === 0) {
      if (!candidates.includes('/usr/bin/python3') && existsSync('/usr/bin/python3'))
        candidates.push('/usr/bin/python3');
      uv = withUvloop();
    }
    if (!uv) notes.push('uvloop skipped: python3-uvloop could not be installed or imported');
  }
  // asyncio and uvloop run on the same interpreter, so the two differ only by the event loop.
  const interpreter = uv ?? candidates[0] ?? null;
  const onPath = resolveOnPath('python3');
  if (onPath && interpreter && onPath !== interpreter) {
    const v = tryRun(onPath, ['-c', 'import sys; print(sys.version.split()[0])']);
    notes.push(
      `python3 on PATH (\`${onPath}\`, Python ${v}) cannot import uvloop; ` +
        `\`${interpreter}\` ran both CPython asyncio and uvloop`,
    );
  }
  if (!interpreter) {
    notes.push('no python3 found: CPython asyncio and uvloop skipped');
    return { interpreter: null, uvloop: false };
  }
  const version = tryRun(interpreter, ['-c', 'import sys; print(sys.version.split()[0])']);
  const uvloopVersion = uv ? tryRun(uv, ['-c', 'import uvloop; print(uvloop.__version__)']) : null;
  return { interpreter, version, uvloop: Boolean(uv), uvloopVersion };
}

function packageVersion(name) {
  const file = path.join(BENCH_DIR, 'node_modules', name, 'package.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')).version;
  } catch {
    return null;
  }
}

function asyncioTsBuilt() {
  const pkg = path.join(BENCH_DIR, 'node_modules', 'asyncio-ts');
  return existsSync(path.join(pkg, 'dist', 'index.js'));
}

function machineInfo(python) {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) cpu = line.split(':').slice(1).join(':').trim();
  } catch {}
  return {
    date: new Date().toISOString(),
    cpu,
    cpus: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    python: python.version ?? null,
    pythonInterpreter: python.interpreter,
    uvloop: python.uvloopVersion ?? null,
    packages: {
      'asyncio-ts': packageVersion('asyncio-ts'),
      effect: packageVersion('effect'),
      effection: packageVersion('effection'),
      piscina: packageVersion('piscina'),
    },
    commit: tryRun('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

// ---------------------------------------------------------------------------------------------
// Measurements

/**
 * The Python script of a workload: `python/<workload>.py`, except where that name would shadow a
 * standard-library module the interpreter imports (uvloop imports `queue`); `-` becomes `_`.
 */
function pythonScript(workload) {
  const file = workload === 'queue' ? 'queue_workload.py' : `${workload.replace('-', '_')}.py`;
  return path.join(BENCH_DIR, 'python', file);
}

function commandFor(workload, contender, python) {
  const flags = WORKLOADS[workload].nodeFlags ?? [];
  const js = (dir, file) => [process.execPath, [...flags, path.join(BENCH_DIR, dir, file)]];
  if (workload === 'floor')
    return js('floor', contender === 'generator-resume' ? 'generator.mjs' : 'await.mjs');
  switch (contender) {
    case 'asyncio-ts':
    case 'promises':
    case 'effection':
    case 'effect':
    case 'piscina':
      return js(contender, `${workload}.mjs`);
    case 'asyncio':
      return [python.interpreter, [pythonScript(workload)]];
    case 'uvloop':
      return [python.interpreter, [pythonScript(workload), '--uvloop']];
    default:
      throw new Error(`unknown contender ${contender}`);
  }
}

function measure(workload, contender, python, timeoutSec) {
  const [cmd, args] = commandFor(workload, contender, python);
  const env = { ...process.env };
  delete env.ASYNCIO_TS_DEBUG;
  delete env.NODE_OPTIONS;
  const res = spawnSync(cmd, args, {
    cwd: BENCH_DIR,
    env,
    encoding: 'utf8',
    timeout: timeoutSec * 1000,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (res.error) return { error: `${res.error.code ?? res.error.message}` };
  if (res.status !== 0) {
    const tail = (res.stderr || res.stdout || '').trim().split('\n').slice(-3).join(' | ');
    return { error: `exit ${res.status ?? res.signal}: ${tail}` };
  }
  const line = res.stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (!line) return { error: 'no result line' };
  return JSON.parse(line);
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

// ---------------------------------------------------------------------------------------------
// Formatting

function fmt(n, compact = true) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  const abs = Math.abs(n);
  if (!compact) return abs >= 100 ? n.toFixed(0) : abs >= 10 ? n.toFixed(1) : n.toFixed(2);
  if (abs >= 1e6) return `${(n / 1e6).toFixed(abs >= 1e8 ? 0 : abs >= 1e7 ? 1 : 2)} M`;
  if (abs >= 1e4) return `${(n / 1e3).toFixed(abs >= 1e5 ? 0 : 1)} k`;
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

function fmtRatio(r) {
  if (r === null || r === undefined || !Number.isFinite(r)) return '—';
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

const CONTENDER_LABEL = {
  'asyncio-ts': 'asyncio-ts',
  promises: 'plain promises (async/await)',
  effection: 'Effection',
  effect: 'Effect',
  asyncio: 'CPython asyncio',
  piscina: 'piscina',
  uvloop: 'uvloop',
};

function markdown(result) {
  const m = result.machine;
  const out = [];
  out.push('# Benchmarks');
  out.push('');
  out.push(
    'asyncio-ts measured side by side with CPython asyncio, uvloop, Effection, Effect, piscina and',
    'plain promises: the same work for every contender (see `bench/`), one process launch per',
    'measurement, contenders interleaved round by round, each measurement taken after an',
    'in-process warm-up (up to three runs of the workload, fewer once three seconds have passed,',
    'the same rule for every contender). Regenerate with `pnpm bench` (or `node bench/run.mjs --runs N',
    '[--only workload]` once the packages are built). Raw numbers: `bench/results/latest.json`.',
  );
  out.push('');
  out.push('## Machine');
  out.push('');
  out.push(`- Date: ${m.date}`);
  out.push(`- CPU: ${m.cpu} (${m.cpus} logical CPUs), ${m.memoryGiB} GiB RAM, ${m.os}`);
  out.push(`- Node ${m.node}`);
  out.push(
    `- Python ${m.python ?? '—'} (\`${m.pythonInterpreter ?? 'not found'}\`, used for both CPython asyncio and uvloop)` +
      `, uvloop ${m.uvloop ?? 'not available'}`,
  );
  out.push(
    `- asyncio-ts ${m.packages['asyncio-ts'] ?? '—'}` +
      (m.commit ? ` (commit ${m.commit})` : '') +
      `, Effect ${m.packages.effect ?? '—'}, Effection ${m.packages.effection ?? '—'}` +
      `, piscina ${m.packages.piscina ?? '—'}`,
  );
  if (result.loadBefore && m.loadAverage) {
    out.push(
      `- Load average (1, 5, 15 min) before the run: ${result.loadBefore.join(', ')}; ` +
        `after: ${m.loadAverage.join(', ')}`,
    );
  }
  out.push(`- Measured runs per pair: ${result.runs}`);
  for (const c of result.carried ?? []) {
    out.push(
      `- ${c.workloads.filter((w) => w !== 'floor').join(', ')}: carried over from the run of ` +
        `${c.date}${c.commit ? ` (commit ${c.commit})` : ''}, ${c.runs} runs per pair` +
        (c.loadBefore ? `, load before ${c.loadBefore.join(', ')}` : '') +
        (c.loadAfter ? `, after ${c.loadAfter.join(', ')}` : ''),
    );
  }
  out.push('');
  const floor = result.rows.filter((r) => r.workload === 'floor');
  if (floor.length) {
    out.push('## Floor (what one step costs with no library at all)');
    out.push('');
    for (const r of floor) {
      const label =
        r.contender === 'generator-resume'
          ? 'bare generator resume (`gen.next()` in a loop)'
          : 'bare `await` of an already-resolved promise';
      out.push(
        `- ${label}: **${r.median === null ? '—' : r.median.toFixed(1)} ns** median` +
          (r.min === null ? '' : ` (${r.min.toFixed(1)}–${r.max.toFixed(1)})`),
      );
    }
    out.push('');
  }
  out.push('## Results');
  out.push('');
  out.push(
    "Ratio = the contender's median ÷ asyncio-ts's median, in the workload's unit: for a rate",
    '(higher is better) a ratio above 1 means the contender is faster than asyncio-ts; for a cost',
    '(lower is better) a ratio above 1 means the contender is slower.',
  );
  out.push('');
  out.push('| workload | unit | contender | median | min–max | ratio vs asyncio-ts |');
  out.push('|---|---|---|---:|---:|---:|');
  for (const w of WORKLOAD_ORDER) {
    if (w === 'floor') continue;
    const rows = result.rows.filter((r) => r.workload === w);
    for (const r of rows) {
      const spec = WORKLOADS[w];
      const unit = `${spec.unit} (${spec.better} is better)`;
      const rate = spec.better === 'higher';
      const med = r.median === null ? (r.note ?? 'failed') : fmt(r.median, rate);
      const range = r.min === null ? '' : `${fmt(r.min, rate)}–${fmt(r.max, rate)}`;
      out.push(
        `| ${w} | ${unit} | ${CONTENDER_LABEL[r.contender] ?? r.contender} | ${med} | ${range} | ${fmtRatio(r.ratio)} |`,
      );
    }
  }
  out.push('');
  out.push(`![The ratios of the table as bars, log scale](${CHART_LINK})`);
  out.push('');
  out.push(
    'Each bar: how many times asyncio-ts is ahead of that contender (faster for a rate, cheaper',
    'for a cost), on a log scale; a bar left of 1× is a workload where the contender is ahead.',
  );
  out.push('');
  // The reading of the figures against the targets is written by hand, beside the runner.
  const analysis = path.join(BENCH_DIR, 'analysis.md');
  if (existsSync(analysis)) {
    out.push(readFileSync(analysis, 'utf8').trimEnd());
    out.push('');
  }
  out.push('## Workloads');
  out.push('');
  for (const w of WORKLOAD_ORDER) {
    if (w === 'floor' || !result.rows.some((r) => r.workload === w)) continue;
    out.push(`- **${w}**: ${WORKLOADS[w].describe}.`);
  }
  out.push('');
  out.push('## How each contender does the work');
  out.push('');
  out.push(
    '- **asyncio-ts**: `run`, `createTask`, `gather`, `yield* sleep(0)` in `function*` coroutines;',
    '  `queue` is `new Queue(1)` with `yield* queue.put(i)` and `yield* queue.get()`, `lock` is',
    '  `yield* lock.acquire()` and `lock.release()` in a `finally`.',
    '- **plain promises**: `async` functions and `Promise.all`. Plain promises have no event-loop',
    '  yield as cheap as `sleep(0)`, so `await Promise.resolve()` (one microtask hop) stands in for',
    '  it; a macrotask hop (`setImmediate`) would cost microseconds and be unfair the other way.',
    '  There is no plain-promise form of `cancel` (a promise cannot be cancelled). `queue` and',
    '  `lock` use a bounded queue and a mutex written inline in the script (arrays of waiting',
    '  resolvers; an item, a free slot or the lock goes straight to the first waiter).',
    '- **Effection**: `run`, `spawn`, `all`. Effection has no yield-now operation and its `sleep(0)`',
    '  is a host `setTimeout` (at least 1 ms in Node), so `yield* until(Promise.resolve())` (one',
    '  microtask hop) stands in for `sleep(0)`. `cancel` halts each task (`task.halt()`) and waits',
    '  for every halt to finish. Effection has neither a bounded queue nor a lock: `queue` bounds',
    '  its `createQueue` with a second `createQueue` of free slots (the producer takes a slot',
    '  before it adds an item, the consumer gives the slot back after it takes one); `lock` is a',
    '  one-permit semaphore made of a `createQueue` holding the permit (acquire takes it with',
    '  `next()`, waiting in line while another task has it; release adds it back).',
    "- **Effect**: fibers with `Effect.forkChild` (Effect 4's name for `fork`), `Fiber.joinAll`,",
    '  `Effect.yieldNow`, `Effect.sleep`; `cancel` forks `Effect.never` fibers, then',
    '  `Fiber.interruptAll` and `Fiber.awaitAll`. `queue` is `Queue.bounded(1)` with',
    "  `Queue.offer` and `Queue.take`; `lock` is `Semaphore.make(1)` (Effect 4's name for",
    '  `Effect.makeSemaphore`) with `Semaphore.withPermit` around `Effect.yieldNow`.',
    '- **CPython asyncio / uvloop**: the same scripts (`bench/python/*.py`), `asyncio.run` or',
    "  uvloop's loop (`uvloop.run`, or `asyncio.Runner(loop_factory=uvloop.new_event_loop)` where",
    '  uvloop is older than 0.18 and has no `uvloop.run`). `queue` is `asyncio.Queue(1)` (the',
    "  script is `queue_workload.py`: a `queue.py` would shadow the standard library's `queue`,",
    '  which uvloop imports); `lock` is `asyncio.Lock` with `acquire()` and `release()` in a',
    '  `finally`.',
    '- **cancel**: every task waits on its own future that is never set (what `Event.wait()` does',
    '  inside), so the workload runs without the locks-and-queues package.',
    '- **group**: asyncio-ts runs `yield* taskGroup(function* (tg) { ... tg.createTask(child(i)) })`',
    '  and CPython `async with asyncio.TaskGroup()`; Effection a `scoped` operation that spawns the',
    '  children and joins each one (a scope halts what is still running when it ends); Effect',
    "  `Effect.forEach(indexes, child, { concurrency: 'unbounded' })`, its structured form of a",
    '  group (children are fibers of the forEach, the first failure interrupts the rest); plain',
    '  promises a `Promise.all` of async functions, which waits for every child but cancels none.',
    '- **thread-small, thread-burst, thread-cpu**: asyncio-ts calls `yield* toThread(add, i, 1)`',
    '  with a self-contained function (its source goes to each worker once, then only its id',
    '  travels), on the default pool of `os.availableParallelism()` workers; piscina',
    "  `pool.run({ a, b }, { name: 'add' })` on a pool of as many threads, all started with it",
    '  (its other options at their defaults); CPython and uvloop `await asyncio.to_thread(add, i,',
    "  1)` on the loop's default `ThreadPoolExecutor`; plain promises a hand-written pool: one",
    '  `Worker` per CPU, each call a `postMessage` of `{ id, fn, args }` to the next worker in turn',
    '  and a promise resolved by the reply with that id. Effection and Effect have no worker pool',
    "  of their own (Effect's needs `@effect/platform-node`), so piscina is the library contender.",
    '  thread-cpu times fib(30) eight times in turn on the main thread, then eight calls at once',
    '  on a new pool after one fib(30) per worker has warmed it, five rounds alternating the two;',
    '  the figure is the median time in turn over the median time at once (one round takes under',
    "  0.1 s in Node, so a single one is at the mercy of the machine). CPython's threads share one",
    '  interpreter lock, so its honest speed-up is about 1.0.',
    '- **memory**: 100,000 tasks waiting on one event, kept alive; the heap measured after full',
    '  collections (`--expose-gc`, `gc()` twice) before the tasks are made and once they all wait:',
    '  `process.memoryUsage().heapUsed` for the JavaScript contenders, `tracemalloc` (what Python',
    "  allocated; uvloop's tasks and futures are asyncio's, so it sees them too) for CPython and",
    "  uvloop. The event is asyncio-ts's `Event`, Effection's `withResolvers()` operation, Effect's",
    "  `Latch`, CPython's `asyncio.Event`; plain promises are 100,000 async functions awaiting one",
    '  promise. The array holding the tasks (8 bytes each) is in every figure.',
  );
  const earlierNotes = (result.carried ?? []).flatMap((c) =>
    (c.notes ?? []).filter((n) => !result.notes.includes(n)).map((n) => `(run of ${c.date}) ${n}`),
  );
  if (result.notes.length || earlierNotes.length) {
    out.push('');
    out.push('## Notes from this run');
    out.push('');
    for (const n of [...result.notes, ...earlierNotes]) out.push(`- ${n}`);
  }
  out.push('');
  return out.join('\n');
}

/** Writes BENCHMARKS.md and the chart of its ratios from `result`. */
function writeReport(result) {
  writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), markdown(result));
  writeChart(result);
}

function writeChart(result) {
  const units = Object.fromEntries(
    WORKLOAD_ORDER.map((w) => [w, `${WORKLOADS[w].unit}, ${WORKLOADS[w].better} is better`]),
  );
  const chart = ratioChart(result, {
    workloads: WORKLOAD_ORDER.filter((w) => w !== 'floor'),
    contenderLabel: CONTENDER_LABEL,
    units,
  });
  writeFileSync(path.join(ROOT, CHART_LINK), chart);
}

// ---------------------------------------------------------------------------------------------
// Partial runs

/**
 * `result` (a run of `measured`, the floor included) with the rows and samples of every other
 * workload taken from the saved bench/results/latest.json. Each carried-over group remembers the
 * run it came from (`carried`: date, commit, load, runs, notes), carried again as it is when it
 * came from an earlier merge.
 */
function mergeWithSaved(result, measured) {
  const file = path.join(BENCH_DIR, 'results', 'latest.json');
  if (!existsSync(file)) return result;
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  const keep = (w) => !measured.includes(w);
  const carried = [];
  for (const earlier of saved.carried ?? []) {
    const workloads = earlier.workloads.filter(keep);
    if (workloads.length) carried.push({ ...earlier, workloads });
  }
  const fromSavedRun = [
    ...new Set(
      saved.rows
        .map((r) => r.workload)
        .filter(keep)
        .filter((w) => !carried.some((c) => c.workloads.includes(w))),
    ),
  ];
  if (fromSavedRun.length) {
    carried.push({
      workloads: fromSavedRun,
      date: saved.machine.date,
      commit: saved.machine.commit,
      loadBefore: saved.loadBefore,
      loadAfter: saved.machine.loadAverage,
      runs: saved.runs,
      notes: saved.notes,
    });
  }
  const order = (w) => WORKLOAD_ORDER.indexOf(w);
  const byWorkload = (a, b) => order(a.workload) - order(b.workload);
  return {
    ...result,
    carried,
    rows: [...result.rows, ...saved.rows.filter((r) => keep(r.workload))].sort(byWorkload),
    samples: [...result.samples, ...(saved.samples ?? []).filter((s) => keep(s.workload))].sort(
      byWorkload,
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Main

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.chart) {
    writeChart(JSON.parse(readFileSync(path.join(BENCH_DIR, 'results', 'latest.json'), 'utf8')));
    process.stderr.write(`wrote ${CHART_LINK} from bench/results/latest.json\n`);
    return;
  }
  if (opts.render) {
    const saved = JSON.parse(readFileSync(path.join(BENCH_DIR, 'results', 'latest.json'), 'utf8'));
    writeReport(saved);
    process.stderr.write(`wrote BENCHMARKS.md and ${CHART_LINK} from bench/results/latest.json\n`);
    return;
  }
  const loadBefore = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const notes = [];
  if (loadBefore[0] > 0.5 * os.cpus().length) {
    notes.push(
      `the machine was busy when the run began (load ${loadBefore[0]} on ${os.cpus().length} ` +
        'CPUs): figures are noisier than on an idle machine; compare ratios, not absolutes',
    );
  }
  const python = findPython(notes);
  const haveAsyncioTs = asyncioTsBuilt();
  if (!haveAsyncioTs)
    notes.push('asyncio-ts skipped: packages/asyncio/dist is missing (run the build first)');

  // The floor is measured in every run, so each table carries its own reference point.
  const workloads = WORKLOAD_ORDER.filter(
    (w) => w === 'floor' || !opts.only || opts.only.includes(w),
  );
  if (opts.only) {
    const unknown = opts.only.filter((w) => !WORKLOADS[w]);
    if (unknown.length) throw new Error(`unknown workload(s): ${unknown.join(', ')}`);
  }
  const available = CONTENDER_ORDER.filter((c) => {
    if (c === 'asyncio-ts') return haveAsyncioTs;
    if (c === 'asyncio') return python.interpreter !== null;
    if (c === 'uvloop') return python.uvloop;
    return true;
  });
  /** The contenders a workload shows: those it runs, and those it names as not applicable. */
  const pairsOf = (w) => {
    if (w === 'floor') return FLOORS;
    const spec = WORKLOADS[w];
    const runs = spec.contenders ?? LOOP_CONTENDERS;
    return available.filter((c) => runs.includes(c) || spec.na?.[c] !== undefined);
  };

  const samples = [];
  const log = (s) => process.stderr.write(s);
  for (const w of workloads) {
    const pairs = pairsOf(w);
    const na = WORKLOADS[w]?.na ?? {};
    for (const c of pairs.filter((p) => na[p] !== undefined)) {
      samples.push({ workload: w, contender: c, run: 1, skipped: na[c] });
    }
    for (let run = 1; run <= opts.runs; run++) {
      for (const c of pairs) {
        if (na[c] !== undefined) continue;
        log(`${w} ${c} run ${run}/${opts.runs} ... `);
        const r = measure(w, c, python, opts.timeout);
        samples.push({ workload: w, contender: c, run, ...r });
        if (r.error) log(`error: ${r.error}\n`);
        else if (r.skipped) log(`skipped (${r.skipped})\n`);
        else {
          const spec = WORKLOADS[w];
          log(`${fmt(spec.figure(r), spec.better === 'higher')} ${spec.unit}\n`);
        }
      }
    }
  }

  const rows = [];
  for (const w of workloads) {
    for (const c of pairsOf(w)) {
      const mine = samples.filter((s) => s.workload === w && s.contender === c);
      const ok = mine.filter((s) => !s.error && !s.skipped);
      const figures = ok.map((s) => WORKLOADS[w].figure(s));
      const row = {
        workload: w,
        contender: c,
        unit: WORKLOADS[w].unit,
        better: WORKLOADS[w].better,
      };
      if (figures.length) Object.assign(row, stats(figures), { runs: figures.length });
      else {
        Object.assign(row, { median: null, min: null, max: null, runs: 0 });
        const skipped = mine.find((s) => s.skipped);
        row.note = skipped ? `n/a (${skipped.skipped})` : 'failed';
      }
      const errors = mine.filter((s) => s.error);
      if (errors.length) {
        notes.push(`${w}/${c}: ${errors.length} of ${mine.length} runs failed: ${errors[0].error}`);
      }
      rows.push(row);
    }
    const base = rows.find((r) => r.workload === w && r.contender === 'asyncio-ts');
    for (const r of rows.filter((x) => x.workload === w)) {
      r.ratio = base && base.median !== null && r.median !== null ? r.median / base.median : null;
    }
  }

  const machine = machineInfo(python);
  let result = { machine, loadBefore, runs: opts.runs, notes, rows, samples };
  // A run of some workloads keeps the saved figures of the others (from the run that measured
  // them, which BENCHMARKS.md names), so the table stays whole.
  if (opts.only) result = mergeWithSaved(result, workloads);
  if (opts.write) {
    mkdirSync(path.join(BENCH_DIR, 'results'), { recursive: true });
    writeFileSync(
      path.join(BENCH_DIR, 'results', 'latest.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    writeReport(result);
    log(`wrote bench/results/latest.json, BENCHMARKS.md and ${CHART_LINK}\n`);
  }
  process.stdout.write(markdown(result));
}

main();
