export * from '@asyncio-ts/core-loop';
export * from '@asyncio-ts/tasks';
