import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  InvalidStateError,
  KeyboardInterrupt,
  LookupError,
  RuntimeError,
  TimeoutError,
} from '../src/index.js';

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
});
