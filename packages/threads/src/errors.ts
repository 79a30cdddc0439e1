/**
 * The errors of the thread bridge.
 */

/**
 * A worker thread died while running a job (an uncaught error, `process.exit()`, running out
 * of memory under `resourceLimits`): the job's future fails with this, and the pool replaces
 * the worker. `exitCode` is the worker's exit code; `cause` is its uncaught error, if any.
 */
export class BrokenWorkerError extends Error {
  /** The dead worker's exit code. */
  readonly exitCode: number;

  constructor(message: string, exitCode: number, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
  }
}

Object.defineProperty(BrokenWorkerError.prototype, 'name', {
  value: 'BrokenWorkerError',
  writable: true,
  configurable: true,
});
