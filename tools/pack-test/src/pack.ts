import { assertSucceeded, runCommand } from './run-command.js';
import { type PublishedPackage, WORKSPACE_ROOT } from './workspace.js';

/** The pnpm that the repository pins, fetched by npx when the test is not run by pnpm itself. */
const PINNED_PNPM = 'pnpm@10.34.8';

function pnpmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && /pnpm/.test(execPath)) return [process.execPath, [execPath]];
  return ['npx', ['-y', PINNED_PNPM]];
}

/**
 * Packs the packages with pnpm, in one recursive run, into `destination`: pnpm turns their
 * `workspace:` ranges into the versions npm users get.
 */
export async function packPackages(
  packages: readonly PublishedPackage[],
  destination: string,
): Promise<void> {
  const [file, prefix] = pnpmCommand();
  const filters = packages.flatMap((pkg) => ['--filter', pkg.name]);
  assertSucceeded(
    `pnpm pack of ${packages.map((pkg) => pkg.name).join(', ')}`,
    await runCommand(
      file,
      [...prefix, '-r', ...filters, 'pack', '--pack-destination', destination],
      { cwd: WORKSPACE_ROOT, timeoutMs: 60_000 },
    ),
  );
}
