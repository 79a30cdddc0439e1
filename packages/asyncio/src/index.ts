export * from '@asyncio-ts/core-loop';
export * from '@asyncio-ts/introspection';
export * from '@asyncio-ts/sync-primitives';
export * from '@asyncio-ts/task-groups';
export * from '@asyncio-ts/tasks';
export * from '@asyncio-ts/threads';
export * from '@asyncio-ts/timeouts';
