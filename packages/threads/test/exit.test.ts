import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Runs a fixture script in a new node process; kills it if it has not exited in `limitMs`. */
function runScript(name: string, limitMs = 5_000) {
  const script = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  return new Promise<{ code: number | null; stdout: string; stderr: string; killed: boolean }>(
    (resolve) => {
      const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, limitMs);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr, killed });
      });
    },
  );
}

describe('a process that uses worker threads', () => {
  it('exits on its own once run() returns (run() shuts the default pool down)', async () => {
    const outcome = await runScript('exits-by-itself.mjs');
    expect(outcome).toEqual({ code: 0, stdout: 'run() returned 42\n', stderr: '', killed: false });
  });

  it('exits on its own with a pool that was never shut down (idle workers are unreferenced)', async () => {
    const outcome = await runScript('idle-pool-exits.mjs');
    expect(outcome).toEqual({
      code: 0,
      stdout: 'results 2,4 from 2 workers\n',
      stderr: '',
      killed: false,
    });
  });
});
