import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './workspace.js';

/** The folders of every workspace package, from the globs of pnpm-workspace.yaml. */
export function workspacePackageDirs(): string[] {
  const manifest = readFileSync(join(WORKSPACE_ROOT, 'pnpm-workspace.yaml'), 'utf8');
  const globs = [...manifest.matchAll(/^\s+-\s+['"]?([^'"\s]+)['"]?\s*$/gm)].map((m) => m[1]!);
  const dirs: string[] = [];
  for (const glob of globs) {
    if (!glob.endsWith('/*')) {
      dirs.push(glob);
      continue;
    }
    const parent = glob.slice(0, -2);
    for (const entry of readdirSync(join(WORKSPACE_ROOT, parent), { withFileTypes: true })) {
      if (entry.isDirectory()) dirs.push(`${parent}/${entry.name}`);
    }
  }
  return dirs.filter((dir) => existsSync(join(WORKSPACE_ROOT, dir, 'package.json')));
}

/**
 * A copy of what changesets reads, in a new temporary folder: the root package.json, the
 * workspace file, every package.json and .changeset/config.json, without the changesets waiting
 * in the repository, so `changeset version` can run there without touching the repository.
 */
export async function copyWorkspaceManifests(): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), 'asyncio-ts-changesets-'));
  await mkdir(join(copy, '.changeset'));
  const files = [
    'package.json',
    'pnpm-workspace.yaml',
    '.changeset/config.json',
    ...workspacePackageDirs().map((dir) => `${dir}/package.json`),
  ];
  for (const file of files) {
    await mkdir(join(copy, file, '..'), { recursive: true });
    await copyFile(join(WORKSPACE_ROOT, file), join(copy, file));
  }
  return copy;
}
