import { run } from '@asyncio-ts/tasks';
import { describe, expect, it } from 'vitest';
import { toThread, transfer } from '../dist/index.js';
import { expectError, job, thrownBy } from './utils.js';

describe('transfer(value)', () => {
  it('moves an ArrayBuffer to the worker: the sender copy is detached', async () => {
    const buffer = new Uint8Array([1, 2, 3, 4]).buffer;
    const sum = await run(function* () {
      return yield* toThread(
        (received: ArrayBuffer) => new Uint8Array(received).reduce((a, b) => a + b, 0),
        transfer(buffer),
      );
    });
    expect([sum, buffer.byteLength]).toEqual([10, 0]);
  });

  it('moves the buffer of a typed array, which arrives as the same kind of view', async () => {
    const values = new Float64Array([1.5, 2.5]);
    const seen = await run(function* () {
      return yield* toThread(
        (received: Float64Array) => [received.constructor.name, Array.from(received)],
        transfer(values),
      );
    });
    expect([seen, values.byteLength, values.length]).toEqual([['Float64Array', [1.5, 2.5]], 0, 0]);
  });

  it('copies an unmarked buffer: the sender keeps it', async () => {
    const buffer = new ArrayBuffer(8);
    const length = await run(function* () {
      return yield* toThread((received: ArrayBuffer) => received.byteLength, buffer);
    });
    expect([length, buffer.byteLength]).toEqual([8, 8]);
  });

  it('moves a result the worker marked back to the loop thread', async () => {
    const bytes = await run(function* () {
      return yield* toThread<Uint8Array>(job('makeBytes'), 3);
    });
    expect(Array.from(bytes)).toEqual([7, 7, 7]);
  });

  it('takes an explicit transfer list for other values', async () => {
    const buffer = new ArrayBuffer(4);
    const size = await run(function* () {
      return yield* toThread(
        (message: { payload: ArrayBuffer }) => message.payload.byteLength,
        transfer({ payload: buffer }, [buffer]),
      );
    });
    expect([size, buffer.byteLength]).toEqual([4, 0]);
  });

  it('refuses a value with no buffer and no transfer list', () => {
    expectError(
      thrownBy(() => transfer('text')),
      TypeError,
      'transfer() needs an ArrayBuffer, a typed array or a transferList, got string',
    );
  });
});
