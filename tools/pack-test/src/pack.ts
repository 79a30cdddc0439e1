import { assertSucceeded, runCommand } from './run-command.js';
import type { PublishedPackage } from './workspace.js';

/** The pnpm that the repository pins, fetched by npx when the test is not run by pnpm itself. */
const PINNED_PNPM = 'pnpm@10.34.8';

function pnpmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && /pnpm/.test(execPath)) return [process.execPath, [execPath]];
  return ['npx', ['-y', PINNED_PNPM]];
}

/**
 * Packs a package with pnpm, which turns its `workspace:` ranges into the versions npm users
 * get, into `destination`.
 */
export async function packPackage(pkg: PublishedPackage, destination: string): Promise<void> {
  const [file, prefix] = pnpmCommand();
  assertSucceeded(
    `pnpm pack of ${pkg.name}`,
    await runCommand(file, [...prefix, 'pack', '--pack-destination', destination], {
      cwd: pkg.dir,
      timeoutMs: 60_000,
    }),
  );
}
