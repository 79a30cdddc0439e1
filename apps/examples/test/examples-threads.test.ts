import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Coro, EventLoop, getRunningLoop, run, VirtualTimeLoop } from 'asyncio-ts';
import { describe, expect, it } from 'vitest';
import type { Output } from '../src/output.js';
import { findExample } from '../src/registry.js';

type Printed = readonly [ms: number, line: string];

/** Runs the example `name` on a loop from `loopFactory`, recording lines with the loop's time. */
async function record(name: string, loopFactory: () => EventLoop): Promise<Printed[]> {
  const main = findExample(name)!.main;
  const printed: Printed[] = [];
  let start = 0;
  const out: Output = {
    print(line) {
      printed.push([getRunningLoop().time() - start, line]);
    },
  };
  await run(
    function* (): Coro<void> {
      start = getRunningLoop().time();
      yield* main(out);
    },
    { loopFactory },
  );
  return printed;
}

const runningInThreads = [
  'started main',
  'blockingIo is running on a worker thread',
  'tick 1: the loop is free while blockingIo blocks',
  'tick 2: the loop is free while blockingIo blocks',
  'tick 3: the loop is free while blockingIo blocks',
  'ringing the bell',
  'blockingIo returned: woken by the bell',
  'finished main',
];

const schedulingFromThreads = [
  'asking a worker thread for the price list',
  'loop: looking up apple',
  'loop: looking up pear',
  'loop: looking up plum',
  'worker: 3 items cost 3.75',
];

describe('running-in-threads', () => {
  it('keeps ticking on the loop while the worker blocks (real time)', async () => {
    const printed = await record('running-in-threads', () => new EventLoop());
    expect(printed.map(([, line]) => line)).toEqual(runningInThreads);
    // Real time: the ticks are 300 ms apart at least; the worker's answer comes soon after.
    const times = printed.map(([ms]) => ms);
    expect(times[2]).toBeGreaterThanOrEqual(300);
    expect(times[4]).toBeGreaterThanOrEqual(900);
    expect(times[6]! - times[5]!).toBeLessThan(1_000);
  });

  it('prints the same lines at exact times on a VirtualTimeLoop', async () => {
    const printed = await record('running-in-threads', () => new VirtualTimeLoop());
    expect(printed).toEqual([
      [0, 'started main'],
      [0, 'blockingIo is running on a worker thread'],
      [300, 'tick 1: the loop is free while blockingIo blocks'],
      [600, 'tick 2: the loop is free while blockingIo blocks'],
      [900, 'tick 3: the loop is free while blockingIo blocks'],
      [900, 'ringing the bell'],
      [900, 'blockingIo returned: woken by the bell'],
      [900, 'finished main'],
    ]);
  });
});

describe('scheduling-from-threads', () => {
  it('runs the worker calls to the loop one after another (real time)', async () => {
    const printed = await record('scheduling-from-threads', () => new EventLoop());
    expect(printed.map(([, line]) => line)).toEqual(schedulingFromThreads);
    expect(printed[4]![0]).toBeGreaterThanOrEqual(300);
  });

  it('prints the same lines at exact times on a VirtualTimeLoop', async () => {
    const printed = await record('scheduling-from-threads', () => new VirtualTimeLoop());
    expect(printed).toEqual([
      [0, 'asking a worker thread for the price list'],
      [0, 'loop: looking up apple'],
      [100, 'loop: looking up pear'],
      [200, 'loop: looking up plum'],
      [300, 'worker: 3 items cost 3.75'],
    ]);
  });
});

describe('the thread examples in dist/main.js', () => {
  it('run under plain node, where the worker loads the built files', () => {
    const mainJs = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    const result = spawnSync(
      process.execPath,
      [mainJs, 'running-in-threads', 'scheduling-from-threads'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect([result.status, result.stderr]).toEqual([0, '']);
    const lines = result.stdout
      .trimEnd()
      .split('\n')
      .filter((line) => !line.startsWith('==') && line !== '')
      .map((line) => line.replace(/^\d\d:\d\d:\d\d /, ''));
    expect(lines).toEqual([...runningInThreads, ...schedulingFromThreads]);
  });
});
