import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertSucceeded, environmentWithoutPackageManager, runCommand } from './run-command.js';

/**
 * An npm environment of its own under `scratch`: its own cache and empty user and global
 * configuration files, offline, so the install reads nothing from the user's npm set-up or the
 * repository and fails if anything would come from the registry.
 */
export function isolatedNpmEnvironment(scratch: string): NodeJS.ProcessEnv {
  return {
    ...environmentWithoutPackageManager(),
    npm_config_cache: join(scratch, 'npm-cache'),
    npm_config_userconfig: join(scratch, 'npmrc'),
    npm_config_globalconfig: join(scratch, 'global-npmrc'),
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_package_lock: 'false',
    npm_config_loglevel: 'error',
  };
}

/**
 * Makes `appDir` a new ES module project and installs the tarballs into it with npm, as a user
 * installing the packages alone would.
 */
export async function installTarballs(appDir: string, tarballs: readonly string[]): Promise<void> {
  await mkdir(appDir, { recursive: true });
  await writeFile(join(appDir, 'npmrc'), '');
  await writeFile(join(appDir, 'global-npmrc'), '');
  await writeFile(
    join(appDir, 'package.json'),
    `${JSON.stringify({ name: 'a-la-carte', private: true, type: 'module' }, null, 2)}\n`,
  );
  assertSucceeded(
    `npm install ${tarballs.join(' ')}`,
    await runCommand('npm', ['install', ...tarballs], {
      cwd: appDir,
      env: isolatedNpmEnvironment(appDir),
      timeoutMs: 60_000,
    }),
  );
}
