/**
 * Fixtures for the tests of @asyncio-ts/sync-primitives: the shared ones, and those of this package.
 */
export * from '@asyncio-ts/test-utils';
