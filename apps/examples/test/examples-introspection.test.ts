import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Coro, getRunningLoop, run, VirtualTimeLoop } from 'asyncio-ts';
import { describe, expect, it } from 'vitest';
import type { Output } from '../src/output.js';
import { examples, findExample } from '../src/registry.js';

type Printed = readonly [ms: number, line: string];

async function record(name: string): Promise<Printed[]> {
  const main = findExample(name)!.main;
  const printed: Printed[] = [];
  const out: Output = {
    print(line) {
      printed.push([getRunningLoop().time(), line]);
    },
  };
  await run((): Coro<void> => main(out), { loopFactory: () => new VirtualTimeLoop() });
  return printed;
}

const exampleSource = fs
  .readFileSync(fileURLToPath(new URL('../src/examples/introspection.ts', import.meta.url)), 'utf8')
  .split('\n');

/** The 1-based line of the example that contains `code`. */
function lineOf(code: string): number {
  const index = exampleSource.findIndex((line) => line.includes(code));
  expect(index).toBeGreaterThanOrEqual(0);
  return index + 1;
}

describe('introspection', () => {
  it('prints the inspector, awaited by the fetcher, awaited by main, each where it waits', async () => {
    const printed = await record('introspection');
    const inspect = lineOf('printCallGraph(null,');
    const fetchPages = lineOf('yield* gather([inspector');
    const main = lineOf('yield* taskGroup(');
    expect(printed).toEqual([
      [100, "* Task(name='inspector', id=0x1)"],
      [100, '  + Call stack:'],
      [100, `  |   File 'introspection.ts', line ${inspect}, in async inspect()`],
      [100, '  + Awaited by:'],
      [100, "    * Task(name='fetcher', id=0x2)"],
      [100, '      + Call stack:'],
      [100, `      |   File 'introspection.ts', line ${fetchPages}, in async fetchPages()`],
      [100, '      + Awaited by:'],
      [100, "        * Task(name='main', id=0x3)"],
      [100, '          + Call stack:'],
      [100, `          |   File 'introspection.ts', line ${main}, in async main()`],
      [200, 'fetcher: done'],
      [200, 'main: done'],
    ]);
  });

  it('leaves introspection as it found it', async () => {
    const { isIntrospectionEnabled } = await import('@asyncio-ts/introspection');
    expect(isIntrospectionEnabled()).toBe(false);
    await record('introspection');
    expect(isIntrospectionEnabled()).toBe(false);
  });

  it('comes right after the thread examples in the registry', () => {
    const names = examples.map((example) => example.name);
    expect(names.indexOf('introspection')).toBe(names.indexOf('scheduling-from-threads') + 1);
  });
});
