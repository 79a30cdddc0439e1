/**
 * `asyncio-ts ps PID` and `asyncio-ts pstree PID`: the tasks of a live process, as a table or as
 * an await tree (CPython's `python -m asyncio ps/pstree`). The process must have opted in (see
 * {@link enableLiveView}).
 */
import { AwaitCycleError, formatAwaitTree } from './await-tree.js';
import { LiveViewError, readLiveView } from './live-client.js';
import { formatTaskTable } from './task-table.js';

/** Where the CLI writes. */
export interface CliOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const USAGE = `usage: asyncio-ts <command> PID

commands:
  ps PID       table of the pending tasks of process PID
  pstree PID   await tree of the pending tasks of process PID

The process must serve a live view: start it with
  node --import @asyncio-ts/introspection/live app.js
or call enableLiveView() from @asyncio-ts/introspection in it.
`;

/**
 * Runs the CLI with `args` (without `node` and the script) and resolves with the exit status:
 * 0 on success, 1 when the process cannot be read or its await graph has a cycle, 2 on a usage
 * error.
 */
export async function main(
  args: readonly string[],
  output: CliOutput = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const [command, pidText, ...rest] = args;
  if (command === '-h' || command === '--help') {
    output.stdout.write(USAGE);
    return 0;
  }
  if ((command !== 'ps' && command !== 'pstree') || pidText === undefined || rest.length > 0) {
    output.stderr.write(USAGE);
    return 2;
  }
  if (!/^[1-9]\d*$/.test(pidText)) {
    output.stderr.write(
      `asyncio-ts ${command}: PID must be a positive integer, got '${pidText}'\n`,
    );
    return 2;
  }
  try {
    const snapshot = await readLiveView(Number(pidText));
    const text = command === 'ps' ? formatTaskTable(snapshot) : formatAwaitTree(snapshot);
    if (text !== '') output.stdout.write(`${text}\n`);
    return 0;
  } catch (error) {
    if (error instanceof LiveViewError) {
      output.stderr.write(`Error retrieving tasks: ${error.message}\n`);
      return 1;
    }
    if (error instanceof AwaitCycleError) {
      output.stderr.write(`ERROR: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
