/**
 * The live view: a process serves snapshots of its tasks on a Unix socket, for `asyncio-ts ps`
 * and `pstree` to read (what CPython's `python -m asyncio ps PID` reads from a live process's
 * memory, which Node cannot offer another process).
 *
 * The socket is made with mode 0600 (under a umask of 0177, so it is never open to others, not
 * even for a moment), in `$XDG_RUNTIME_DIR` when set (a directory only its user can enter), else
 * in the system's temporary directory; it is named by PID and removed when the process exits.
 * The server is unref'd: it never keeps a process alive.
 *
 * Each snapshot is taken in the server's own host callback (a client connecting). Node runs one
 * callback at a time and a loop runs its callbacks in one synchronous stretch, so that moment is
 * always between two loop callbacks: reading then needs no help from the loops, and unlike a
 * callback queued on each loop (`callSoonThreadsafe`) it adds nothing to their queues, changes
 * no order of events, and still answers while a loop is idle forever, which is when a hung
 * program is looked at.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { RuntimeError, setIntrospection, tryGetRunningLoop } from '@asyncio-ts/core-loop';
import { trackLoop, watchNewTasks } from './loop-registry.js';
import { takeSnapshot } from './snapshot.js';

/** A live view being served; see {@link enableLiveView}. */
export interface LiveView {
  /** The socket's path. */
  readonly path: string;
  /** Stops serving and removes the socket. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link enableLiveView}. */
export interface LiveViewOptions {
  /** Where to make the socket; default {@link liveViewSocketPath}(). */
  path?: string;
  /**
   * Whether to switch on the recording of where tasks suspend (core-loop's `setIntrospection`),
   * so that `ps` and `pstree` name each coroutine frame with its file and line. Default true.
   * It costs a stack capture per suspension; with false, the views show the tasks and who
   * awaits whom, and frames only for loops in debug mode.
   */
  recordStacks?: boolean;
}

/** The directories a live view's socket may be in, where it is made first. */
export function liveViewDirectories(): string[] {
  const runtimeDir = process.env.XDG_RUNTIME_DIR;
  const dirs = runtimeDir !== undefined && runtimeDir !== '' ? [runtimeDir] : [];
  const tmp = os.tmpdir();
  if (!dirs.includes(tmp)) dirs.push(tmp);
  return dirs;
}

/** The socket path of the live view of process `pid` in `dir`: `asyncio-ts-<pid>.sock`. */
export function liveViewSocketPath(
  pid: number = process.pid,
  dir: string = liveViewDirectories()[0]!,
): string {
  return path.join(dir, `asyncio-ts-${pid}.sock`);
}

let active: Promise<LiveView> | null = null;

/**
 * Serves snapshots of this process's tasks on a Unix socket, so that `asyncio-ts ps PID` and
 * `asyncio-ts pstree PID` can show them: the tasks of the loop it is called from, of `run()`'s
 * loop, of loops given to {@link trackLoop}, and of every loop a task is created on from now on.
 * It also switches on the recording of where tasks suspend (see `recordStacks`). Calling it
 * again returns the view already served. To opt in without changing the program, start it with
 * `node --import @asyncio-ts/introspection/live app.js`. The recording stays on after `close()`:
 * other code may rely on it.
 * @example
 * ```ts
 * import { enableLiveView } from '@asyncio-ts/introspection';
 * const view = await enableLiveView();
 * console.log(`asyncio-ts ps ${process.pid}   # reads ${view.path}`);
 * ```
 * @throws RuntimeError when the path exists and is not a socket.
 */
export function enableLiveView(options?: LiveViewOptions): Promise<LiveView> {
  const running = tryGetRunningLoop();
  if (running !== null) trackLoop(running);
  if (options?.recordStacks ?? true) setIntrospection(true);
  if (active === null) {
    active = listen(options?.path ?? liveViewSocketPath());
    active.catch(() => {
      active = null;
    });
  }
  return active;
}

async function listen(socketPath: string): Promise<LiveView> {
  removeStaleSocket(socketPath);
  const server = net.createServer(serveSnapshot);
  await listenPrivately(server, socketPath);
  server.unref();
  const stopWatching = watchNewTasks();
  const removeAtExit = (): void => removeSocket(socketPath);
  process.on('exit', removeAtExit);
  const removeAtSignal = removeOnFatalSignal(socketPath);
  let closed: Promise<void> | null = null;
  return {
    path: socketPath,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        process.removeListener('exit', removeAtExit);
        removeAtSignal();
        stopWatching();
        active = null;
        server.close(() => {
          removeSocket(socketPath);
          resolve();
        });
      });
      return closed;
    },
  };
}

function serveSnapshot(connection: net.Socket): void {
  connection.unref();
  connection.on('error', () => {});
  let reply: string;
  try {
    reply = JSON.stringify(takeSnapshot());
  } catch (error) {
    reply = JSON.stringify({ error: error instanceof Error ? error.message : String(error) });
  }
  connection.end(`${reply}\n`);
}

/** Listens on `socketPath` with the socket made 0600 from the start. */
function listenPrivately(server: net.Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const previousMask = setUmask(0o177);
    try {
      server.listen(socketPath, () => {
        server.removeListener('error', reject);
        try {
          fs.chmodSync(socketPath, 0o600);
          resolve();
        } catch (error) {
          server.close();
          reject(error);
        }
      });
    } finally {
      if (previousMask !== null) setUmask(previousMask);
    }
  });
}

/** Sets the umask and returns the old one; null in a worker thread, where it cannot be set. */
function setUmask(mask: number): number | null {
  try {
    return process.umask(mask);
  } catch {
    return null;
  }
}

/**
 * Removes a socket left by a process that had this PID before and died without cleaning up
 * (a PID names one live process, so a socket at our path cannot belong to a live one).
 */
function removeStaleSocket(socketPath: string): void {
  let stats: fs.Stats;
  try {
    stats = fs.lstatSync(socketPath);
  } catch {
    return;
  }
  if (!stats.isSocket()) {
    throw new RuntimeError(`cannot serve the live view: ${socketPath} exists and is not a socket`);
  }
  fs.unlinkSync(socketPath);
}

/**
 * A SIGTERM or SIGHUP that nothing else handles ends the process without an 'exit' event, so the
 * socket is removed on it and the signal raised again, to end the process as it would have.
 * When the program handles the signal itself, the socket stays until the process exits. SIGINT
 * is left alone: a listener there would stop `run()` from turning Ctrl-C into a cancellation.
 * @returns a function that stops listening.
 */
function removeOnFatalSignal(socketPath: string): () => void {
  const signals = ['SIGTERM', 'SIGHUP'] as const;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (process.listenerCount(signal) > 1) return;
    removeSocket(socketPath);
    stop();
    process.kill(process.pid, signal);
  };
  const stop = (): void => {
    for (const signal of signals) process.removeListener(signal, onSignal);
  };
  for (const signal of signals) process.on(signal, onSignal);
  return stop;
}

function removeSocket(socketPath: string): void {
  try {
    fs.unlinkSync(socketPath);
  } catch {
    // Already gone: close() and exit may both try.
  }
}
