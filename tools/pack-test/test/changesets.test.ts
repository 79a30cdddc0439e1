import { existsSync, readFileSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { environmentWithoutPackageManager, runCommand } from '../src/run-command.js';
import {
  type PackageManifest,
  type PublishedPackage,
  publishedPackages,
  readJson,
  WORKSPACE_ROOT,
} from '../src/workspace.js';
import { copyWorkspaceManifests, workspacePackageDirs } from '../src/workspace-copy.js';

type Bump = 'major' | 'minor' | 'patch';

const CHANGESET = join(WORKSPACE_ROOT, 'node_modules/.bin/changeset');
const packages = publishedPackages();
const copies: string[] = [];

afterEach(async () => {
  await Promise.all(copies.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function bumped(version: string, bump: Bump): string {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** Whether `^from` (what `workspace:^` is published as) no longer accepts `to`. */
function leavesCaretRange(from: string, to: string): boolean {
  const [fromMajor, fromMinor] = from.split('.').map(Number) as [number, number];
  const [toMajor, toMinor] = to.split('.').map(Number) as [number, number];
  return fromMajor === 0 ? toMajor !== 0 || toMinor !== fromMinor : toMajor !== fromMajor;
}

function directDependents(name: string): PublishedPackage[] {
  return packages.filter((pkg) => pkg.workspaceDependencies.includes(name));
}

/** Every workspace package's version, by name. */
function versionsIn(root: string): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const dir of workspacePackageDirs()) {
    const manifest = readJson<PackageManifest>(join(root, dir, 'package.json'));
    versions[manifest.name] = manifest.version;
  }
  return versions;
}

/** Writes one changeset into a copy of the workspace, runs `changeset version` there. */
async function versionWith(name: string, bump: Bump, summary: string): Promise<string> {
  const copy = await copyWorkspaceManifests();
  copies.push(copy);
  await writeFile(
    join(copy, '.changeset/a-change.md'),
    `---\n'${name}': ${bump}\n---\n\n${summary}\n`,
  );
  const result = await runCommand(CHANGESET, ['version'], {
    cwd: copy,
    env: environmentWithoutPackageManager(),
    timeoutMs: 30_000,
  });
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  expect(await readdir(join(copy, '.changeset'))).toEqual(['config.json']);
  return copy;
}

function changelogs(root: string): string[] {
  return workspacePackageDirs()
    .filter((dir) => existsSync(join(root, dir, 'CHANGELOG.md')))
    .map((dir) => readJson<PackageManifest>(join(root, dir, 'package.json')).name)
    .sort();
}

describe('changeset version, run on a copy of the workspace', () => {
  const before = versionsIn(WORKSPACE_ROOT);

  test('the config versions each package on its own and ignores only private ones', () => {
    const config = readJson<Record<string, unknown>>(
      join(WORKSPACE_ROOT, '.changeset/config.json'),
    );
    expect(config.fixed).toEqual([]);
    expect(config.linked).toEqual([]);
    expect(config.updateInternalDependencies).toBe('patch');
    expect(config.access).toBe('public');
    const privateNames = workspacePackageDirs()
      .map((dir) => readJson<PackageManifest>(join(WORKSPACE_ROOT, dir, 'package.json')))
      .filter((manifest) => manifest.private === true)
      .map((manifest) => manifest.name);
    expect(privateNames).toEqual(expect.arrayContaining(config.ignore as string[]));
  });

  test('a major change bumps its package, and a patch for each package whose range it leaves', async () => {
    const copy = await versionWith('@asyncio-ts/task-groups', 'major', 'Renames a thing.');
    const expected: Record<string, string> = {
      ...before,
      '@asyncio-ts/task-groups': bumped(before['@asyncio-ts/task-groups']!, 'major'),
    };
    for (const dependent of directDependents('@asyncio-ts/task-groups')) {
      expected[dependent.name] = bumped(dependent.version, 'patch');
    }
    expect(expected['asyncio-ts']).toBe(bumped(before['asyncio-ts']!, 'patch'));
    expect(versionsIn(copy)).toEqual(expected);
    expect(changelogs(copy)).toEqual(['@asyncio-ts/task-groups', 'asyncio-ts']);

    const changelog = readFileSync(join(copy, 'packages/task-groups/CHANGELOG.md'), 'utf8');
    expect(changelog).toContain(`## ${expected['@asyncio-ts/task-groups']}\n\n### Major Changes\n`);
    expect(changelog).toContain('Renames a thing.');
    const umbrella = readFileSync(join(copy, 'packages/asyncio/CHANGELOG.md'), 'utf8');
    expect(umbrella).toContain(`## ${expected['asyncio-ts']}\n\n### Patch Changes\n`);
    expect(umbrella).toContain(`@asyncio-ts/task-groups@${expected['@asyncio-ts/task-groups']}`);
  });

  test('a patch that every dependent range still accepts bumps that package alone', async () => {
    const copy = await versionWith('@asyncio-ts/core-loop', 'patch', 'Fixes a thing.');
    expect(versionsIn(copy)).toEqual({
      ...before,
      '@asyncio-ts/core-loop': bumped(before['@asyncio-ts/core-loop']!, 'patch'),
    });
    expect(changelogs(copy)).toEqual(['@asyncio-ts/core-loop']);
  });

  test('a minor change of the loop reaches every package that depends on it, and no private one', async () => {
    const copy = await versionWith('@asyncio-ts/core-loop', 'minor', 'Adds a thing.');
    const coreLoop = bumped(before['@asyncio-ts/core-loop']!, 'minor');
    const expected: Record<string, string> = { ...before, '@asyncio-ts/core-loop': coreLoop };
    const dependents = directDependents('@asyncio-ts/core-loop');
    if (leavesCaretRange(before['@asyncio-ts/core-loop']!, coreLoop)) {
      for (const dependent of dependents)
        expected[dependent.name] = bumped(dependent.version, 'patch');
    }
    expect(dependents.map((pkg) => pkg.name)).toContain('@asyncio-ts/tasks');
    expect(versionsIn(copy)).toEqual(expected);
    const moved = Object.keys(expected).filter((name) => expected[name] !== before[name]);
    expect(changelogs(copy)).toEqual(moved.sort());
    // The ranges stay workspace:^ and become ^<new version> when pnpm packs them.
    const tasks = readJson<PackageManifest>(join(copy, 'packages/tasks/package.json'));
    expect(tasks.dependencies?.['@asyncio-ts/core-loop']).toBe('workspace:^');
  });
});
