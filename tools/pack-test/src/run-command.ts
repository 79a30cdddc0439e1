import { spawn } from 'node:child_process';

/** What a finished command did. */
export interface CommandResult {
  /** The exit code, or null when a signal ended it. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where and how to run a command. */
export interface CommandOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Milliseconds before the command is killed. */
  readonly timeoutMs?: number;
}

/**
 * Runs a program without a shell and collects its output; resolves whatever the exit code, so a
 * test can show stderr when it fails.
 */
export function runCommand(
  file: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
  });
}

/** Throws with the command's output unless it exited with 0. */
export function assertSucceeded(what: string, result: CommandResult): CommandResult {
  if (result.code !== 0) {
    throw new Error(
      `${what} exited with ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
  return result;
}

/**
 * The environment without the npm_* variables that a package manager running this test sets:
 * npm would read them as its own configuration.
 */
export function environmentWithoutPackageManager(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && !/^pnpm_/i.test(key)) env[key] = value;
  }
  return env;
}
