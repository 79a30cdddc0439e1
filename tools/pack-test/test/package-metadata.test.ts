import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  type PackageManifest,
  publishedPackages,
  readJson,
  WORKSPACE_ROOT,
} from '../src/workspace.js';

const packages = publishedPackages();
const REPOSITORY_URL = 'git+https://github.com/asyncio-ts/asyncio-ts.git';

/** The package's folder relative to the repository, as `repository.directory` must say. */
function directoryOf(dir: string): string {
  return dir.slice(WORKSPACE_ROOT.length + 1);
}

describe('every published package.json carries what npm and its users need', () => {
  test('the list is read from the workspace', () => {
    expect(packages.map((pkg) => pkg.name)).toEqual(
      expect.arrayContaining([
        '@asyncio-ts/core-loop',
        '@asyncio-ts/tasks',
        '@asyncio-ts/sync-primitives',
        '@asyncio-ts/task-groups',
        '@asyncio-ts/timeouts',
        'asyncio-ts',
      ]),
    );
  });

  test('the pack test and the docs depend on each, so turbo builds them first', () => {
    const names = packages.map((pkg) => pkg.name);
    for (const tool of ['tools/pack-test', 'tools/docs']) {
      const manifest = readJson<PackageManifest>(join(WORKSPACE_ROOT, tool, 'package.json'));
      const workspaceDevDependencies = Object.entries(
        (manifest.devDependencies ?? {}) as Record<string, string>,
      )
        .filter(([, range]) => range === 'workspace:*')
        .map(([name]) => name)
        .sort();
      expect(workspaceDevDependencies, tool).toEqual([...names].sort());
    }
  });

  for (const pkg of packages) {
    test(`${pkg.name}`, () => {
      const manifest = pkg.manifest;
      expect(pkg.name).toMatch(/^(@asyncio-ts\/[a-z-]+|asyncio-ts)$/);
      expect(pkg.version).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
      expect(manifest.description).toEqual(expect.stringMatching(/^.{20,}$/));
      expect(manifest.license).toBe('MIT');
      expect(manifest.type).toBe('module');
      expect(manifest.repository).toEqual({
        type: 'git',
        url: REPOSITORY_URL,
        directory: directoryOf(pkg.dir),
      });
      expect(manifest.engines).toEqual({ node: '>=20' });
      expect(manifest.keywords).toEqual(expect.arrayContaining(['asyncio']));
      expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'README.md']));
      const exports = manifest.exports as Record<string, unknown>;
      expect(exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js' });
      expect(exports['./package.json']).toBe('./package.json');
      for (const [subpath, target] of Object.entries(exports)) {
        if (subpath === './package.json') continue;
        const file = subpath === '.' ? 'index' : subpath.slice(2);
        // Types first: TypeScript takes the first condition that matches.
        expect(Object.entries(target as object), subpath).toEqual([
          ['types', `./dist/${file}.d.ts`],
          ['import', `./dist/${file}.js`],
        ]);
      }
      expect(manifest.main).toBe('./dist/index.js');
      expect(manifest.types).toBe('./dist/index.d.ts');
      const sideEffects = manifest.sideEffects;
      if (sideEffects !== false) {
        // A package may only name the built files that register something on import.
        expect(sideEffects).toEqual(expect.any(Array));
        for (const file of sideEffects as unknown[]) expect(file).toMatch(/^\.\/dist\/[\w-]+\.js$/);
      }
      for (const range of Object.values(manifest.dependencies ?? {})) {
        expect(range).toBe('workspace:^');
      }
    });
  }
});
