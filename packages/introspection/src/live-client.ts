/**
 * Reading the live view of another process: find its socket, take one snapshot. The errors say
 * what to do next, because they end up in front of someone at a terminal.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { liveViewDirectories, liveViewSocketPath } from './server.js';
import type { ProcessSnapshot } from './snapshot.js';

/** A live view could not be read: no such process, it did not opt in, or it cannot be reached. */
export class LiveViewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LiveViewError';
  }
}

/** How a process opts in, for messages. */
export const OPT_IN_HINT =
  'Start it with `node --import @asyncio-ts/introspection/live ...`, ' +
  'or call enableLiveView() from @asyncio-ts/introspection in it.';

/**
 * A snapshot of the tasks of process `pid`, read from its live view.
 * @example
 * ```ts
 * import { readLiveView, formatAwaitTree } from '@asyncio-ts/introspection';
 * console.log(formatAwaitTree(await readLiveView(12345)));
 * ```
 * @throws LiveViewError when there is no process `pid`, when it serves no live view, or when
 * its socket cannot be read.
 */
export async function readLiveView(pid: number): Promise<ProcessSnapshot> {
  checkProcessExists(pid);
  const socketPath = findSocket(pid);
  if (socketPath === null) {
    throw new LiveViewError(
      `Process ${pid} does not serve a live view of its tasks. ${OPT_IN_HINT}`,
    );
  }
  const reply = await readSocket(pid, socketPath);
  let parsed: ProcessSnapshot | { error: string };
  try {
    parsed = JSON.parse(reply) as ProcessSnapshot | { error: string };
  } catch {
    throw new LiveViewError(
      `Process ${pid} sent a reply that is not a snapshot: ${reply.slice(0, 80)}`,
    );
  }
  if ('error' in parsed) {
    throw new LiveViewError(`Process ${pid} could not take a snapshot: ${parsed.error}`);
  }
  return parsed;
}

function checkProcessExists(pid: number): void {
  try {
    process.kill(pid, 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') throw new LiveViewError(`No process with PID ${pid}.`);
    // EPERM: the process exists but belongs to another user; its socket will say the same.
    if (code !== 'EPERM') throw error;
  }
}

function findSocket(pid: number): string | null {
  for (const dir of liveViewDirectories()) {
    const candidate = liveViewSocketPath(pid, dir);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

function readSocket(pid: number, socketPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const connection = net.connect(socketPath);
    connection.on('data', (chunk: Buffer) => chunks.push(chunk));
    connection.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    connection.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EACCES') {
        reject(
          new LiveViewError(
            `The live view of process ${pid} (${socketPath}) belongs to another user.`,
          ),
        );
      } else if (error.code === 'ECONNREFUSED') {
        reject(
          new LiveViewError(
            `Process ${pid} does not serve a live view of its tasks ` +
              `(${socketPath} is left from an earlier process). ${OPT_IN_HINT}`,
          ),
        );
      } else {
        reject(new LiveViewError(`Cannot read the live view of process ${pid}: ${error.message}`));
      }
    });
  });
}
