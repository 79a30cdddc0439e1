import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, test } from 'vitest';
import { installTarballs } from '../src/install.js';
import {
  firstTypeScriptBlock,
  installedByReadme,
  stripTypes,
  typeCheckExamples,
} from '../src/readme-example.js';
import { environmentWithoutPackageManager, runCommand } from '../src/run-command.js';
import {
  isBuilt,
  type PublishedPackage,
  publishedPackages,
  tarballName,
  WORKSPACE_ROOT,
  withDependencies,
} from '../src/workspace.js';

/**
 * What each README example prints, line by line, as its comments promise, or a pattern for the
 * whole output where real threads make it vary. A new package adds its line here.
 */
const README_OUTPUT: Readonly<Record<string, readonly string[] | RegExp>> = {
  '@asyncio-ts/core-loop': ['called soon', 'hello, world', 'the timer set the future'],
  '@asyncio-ts/tasks': ["[ 'hello', 'world' ]"],
  '@asyncio-ts/sync-primitives': ['[ 1, 2, 3, 4, 5 ]'],
  '@asyncio-ts/task-groups': ["[ 'RangeError: bad input' ]"],
  '@asyncio-ts/timeouts': ['100 ms', '200 ms', '300 ms', 'true'],
  '@asyncio-ts/threads': /^(tick\n)*9227465\n$/,
  // The call graph names the file the example was written to, wherever that is, and its lines
  // as they are once the types are stripped (blank lines go too).
  '@asyncio-ts/introspection': new RegExp(
    [
      "^\\* Task\\(name='fetcher', id=0x1\\)",
      '  \\+ Call stack:',
      "  \\|   File '[^']*example\\.[mc]?[jt]s', line \\d+, in async fetchPage\\(\\)",
      '  \\+ Awaited by:',
      "    \\* Task\\(name='Task-1', id=0x2\\)",
      '      \\+ Call stack:',
      "      \\|   File '[^']*example\\.[mc]?[jt]s', line \\d+, in async main\\(\\)\\n$",
    ].join('\\n'),
  ),
  'asyncio-ts': ['true true'],
  'README.md': ["[ 'hello', 'world' ]"],
};

interface ExampleCase {
  /** The key of its output in README_OUTPUT. */
  readonly label: string;
  readonly readmePath: string;
  /** The package whose example it is. */
  readonly pkg: PublishedPackage;
  /** What the reader installs: the README's `npm install` line, or the package alone. */
  readonly installs: readonly string[];
}

const packages = publishedPackages();
const umbrella = packages.find((pkg) => pkg.name === 'asyncio-ts')!;
const cases: ExampleCase[] = [
  ...packages.map((pkg) => exampleCase(pkg.name, join(pkg.dir, 'README.md'), pkg)),
  exampleCase('README.md', join(WORKSPACE_ROOT, 'README.md'), umbrella),
];

function readReadme(readmePath: string): string {
  return existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
}

function exampleCase(label: string, readmePath: string, pkg: PublishedPackage): ExampleCase {
  const installs = installedByReadme(readReadme(readmePath)) ?? [pkg.name];
  return { label, readmePath, pkg, installs };
}

/** The packages the reader's install brings, with what they depend on, each once. */
function installClosure(example: ExampleCase): PublishedPackage[] {
  const closure = new Map<string, PublishedPackage>();
  for (const name of example.installs) {
    for (const pkg of withDependencies(name, packages)) closure.set(pkg.name, pkg);
  }
  return [...closure.values()];
}

/** The packages npm put in node_modules, scoped ones as `@scope/name`. */
async function installedPackages(appDir: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(join(appDir, 'node_modules'))) {
    if (entry.startsWith('.')) continue;
    if (!entry.startsWith('@')) {
      names.push(entry);
      continue;
    }
    for (const scoped of await readdir(join(appDir, 'node_modules', entry))) {
      names.push(`${entry}/${scoped}`);
    }
  }
  return names.sort();
}

async function runExampleAlone(example: ExampleCase, source: string): Promise<void> {
  const expected = README_OUTPUT[example.label];
  if (expected === undefined) {
    throw new Error(`add what the ${example.label} README example prints to README_OUTPUT`);
  }
  const scratch = await mkdtemp(join(tmpdir(), 'asyncio-ts-a-la-carte-'));
  try {
    const appDir = join(scratch, 'app');
    const closure = installClosure(example);
    const tarballDir = inject('tarballDir');
    await installTarballs(
      appDir,
      closure.map((pkg) => join(tarballDir, tarballName(pkg))),
    );
    expect(await installedPackages(appDir)).toEqual(closure.map((pkg) => pkg.name).sort());

    await writeFile(join(appDir, 'example.ts'), source);
    await writeFile(join(appDir, 'example.mjs'), stripTypes(source));
    const result = await runCommand(process.execPath, ['example.mjs'], {
      cwd: appDir,
      env: environmentWithoutPackageManager(),
      timeoutMs: 30_000,
    });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    if (expected instanceof RegExp) expect(result.stdout).toMatch(expected);
    else expect(result.stdout.split('\n')).toEqual([...expected, '']);

    const nodeTypes = join(WORKSPACE_ROOT, 'node_modules', '@types');
    expect(typeCheckExamples([join(appDir, 'example.ts')], nodeTypes)).toEqual([]);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

describe.concurrent('each README example, with its package installed alone from tarballs', () => {
  for (const example of cases) {
    const source = firstTypeScriptBlock(readReadme(example.readmePath));
    const built = isBuilt(example.pkg);
    const title =
      source === null
        ? `${example.label}: skipped, its README has no \`\`\`ts example yet`
        : built
          ? `${example.label} runs with plain node and type-checks`
          : `${example.label}: skipped, ${example.pkg.name} is not built yet`;
    test.skipIf(source === null || !built)(title, () => runExampleAlone(example, source!));
  }
});

test('each README installs its own package, and only published ones', () => {
  const published = packages.map((pkg) => pkg.name);
  for (const example of cases) {
    expect(example.installs, example.label).toContain(example.pkg.name);
    expect(published, example.label).toEqual(expect.arrayContaining([...example.installs]));
  }
  expect(
    cases.find((example) => example.label === '@asyncio-ts/sync-primitives')?.installs,
  ).toEqual(['@asyncio-ts/sync-primitives', '@asyncio-ts/tasks']);
});

test('every published package is covered, and the umbrella among them', () => {
  expect(umbrella.name).toBe('asyncio-ts');
  expect(cases.map((example) => example.label)).toEqual([
    ...packages.map((pkg) => pkg.name),
    'README.md',
  ]);
  expect(packages.map((pkg) => pkg.name)).toContain('@asyncio-ts/core-loop');
});
