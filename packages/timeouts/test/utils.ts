/**
 * Fixtures for the tests of @asyncio-ts/timeouts: the shared ones, and those of this package.
 */
export * from '@asyncio-ts/test-utils';

/**
 * A stand-in for @asyncio-ts/task-groups' ExceptionGroup (this package does not depend on it):
 * the timeouts recognise a group by its `exceptions` array.
 */
export class ExceptionGroupLike extends Error {
  readonly exceptions: unknown[];

  constructor(message: string, exceptions: unknown[], options?: ErrorOptions) {
    super(message, options);
    this.exceptions = exceptions;
  }
}
