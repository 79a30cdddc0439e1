import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  InvalidStateError,
  KeyboardInterrupt,
  LookupError,
  loopCancelledError,
  RuntimeError,
  TimeoutError,
} from '../src/index.js';
import { expectError } from './utils.js';

describe('errors', () => {
  it('each error class is an Error whose name is its class name', () => {
    const classes = [
      CancelledError,
      InvalidStateError,
      TimeoutError,
      RuntimeError,
      LookupError,
      KeyboardInterrupt,
    ];
    expect(
      classes.map((Kind) => {
        const error = new Kind('text');
        return [error instanceof Error, error.name, String(error)];
      }),
    ).toEqual([
      [true, 'CancelledError', 'CancelledError: text'],
      [true, 'InvalidStateError', 'InvalidStateError: text'],
      [true, 'TimeoutError', 'TimeoutError: text'],
      [true, 'RuntimeError', 'RuntimeError: text'],
      [true, 'LookupError', 'LookupError: text'],
      [true, 'KeyboardInterrupt', 'KeyboardInterrupt: text'],
    ]);
  });

  it('a CancelledError made without a message has the message ""', () => {
    expect(new CancelledError().message).toBe('');
  });

  it('an error made with a cause keeps it, as `raise X from Y`', () => {
    const cause = new CancelledError('inner');
    expect(new TimeoutError('outer', { cause }).cause).toBe(cause);
  });

  it('a CancelledError made by the loop reads as one made with new and no stack frames', () => {
    const made = loopCancelledError('stop');
    expectError(made, CancelledError, 'stop');
    expect([
      made instanceof Error,
      made.name,
      made.stack,
      String(made),
      inspect(made),
      Object.keys(made),
      JSON.stringify(made),
    ]).toEqual([
      true,
      'CancelledError',
      'CancelledError: stop',
      'CancelledError: stop',
      '[CancelledError: stop]',
      [],
      '{}',
    ]);
  });

  it('a CancelledError made by the loop takes a new message and a new stack', () => {
    const made = loopCancelledError('');
    made.message = 'changed';
    const firstStack = made.stack;
    made.stack = 'replaced';
    expect([String(made), firstStack, made.stack]).toEqual([
      'CancelledError: changed',
      'CancelledError: changed',
      'replaced',
    ]);
  });

  it('each CancelledError made by the loop is a new object', () => {
    expect(loopCancelledError('a')).not.toBe(loopCancelledError('a'));
  });
});
