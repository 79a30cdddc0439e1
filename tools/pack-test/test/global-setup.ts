import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { packPackages } from '../src/pack.js';
import { isBuilt, publishedPackages } from '../src/workspace.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder holding one `pnpm pack` tarball per built published package. */
    tarballDir: string;
  }
}

/** Packs every built published package once, for all the test files. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tarballDir = await mkdtemp(join(tmpdir(), 'asyncio-ts-pack-'));
  await packPackages(publishedPackages().filter(isBuilt), tarballDir);
  project.provide('tarballDir', tarballDir);
  return () => rm(tarballDir, { recursive: true, force: true });
}
