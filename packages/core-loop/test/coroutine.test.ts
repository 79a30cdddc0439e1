import { describe, expect, it } from 'vitest';
import {
  type Coro,
  describeKind,
  EventLoop,
  isCoroutine,
  isCoroutineFunction,
  markCoroutineFunction,
} from '../src/index.js';
import { expectError, thrownBy } from './utils.js';

function* gen(): Coro<number> {
  yield;
  return 1;
}

describe('isCoroutine and isCoroutineFunction', () => {
  it('isCoroutine() is true for generator objects and look-alikes with next, throw and return', () => {
    const lookAlike = { next() {}, throw() {}, return() {} };
    const values = [gen(), lookAlike, gen, { next() {} }, Promise.resolve(1), null, 'text'];
    expect(values.map(isCoroutine)).toEqual([true, true, false, false, false, false, false]);
  });

  it('isCoroutineFunction() is true for generator functions only, unless one is marked', () => {
    const values = [gen, function* () {}, () => gen(), async () => 1, gen()];
    expect(values.map(isCoroutineFunction)).toEqual([true, true, false, false, false]);
  });

  it('markCoroutineFunction() marks a function returning a coroutine object, and returns it', () => {
    const handWritten = (): Coro<number> => gen();
    const other = (): Coro<number> => gen();
    expect(markCoroutineFunction(handWritten)).toBe(handWritten);
    expect([isCoroutineFunction(handWritten), isCoroutineFunction(other)]).toEqual([true, false]);
    expect(describeKind(handWritten)).toBe('coroutine function handWritten');
    // The mark is not an own enumerable property: nothing that copies or lists the function sees it.
    expect([Object.keys(handWritten), handWritten.length]).toEqual([[], 0]);
  });

  it('markCoroutineFunction() refuses what is not a function', () => {
    expectError(
      thrownBy(() => markCoroutineFunction(5 as unknown as () => void)),
      TypeError,
      'markCoroutineFunction() expects a function, got number',
    );
  });
});

describe('describeKind', () => {
  it('names a value of the wrong kind the way error messages do', () => {
    function named(): void {}
    const values = [
      null,
      undefined,
      5,
      'text',
      [1],
      {},
      new EventLoop(),
      gen(),
      named,
      () => {},
      gen,
      Object.create(null),
    ];
    expect(values.map(describeKind)).toEqual([
      'null',
      'undefined',
      'number',
      'string',
      'Array',
      'Object',
      'EventLoop',
      'coroutine',
      'function named',
      'function <anonymous>',
      'coroutine function gen',
      'object',
    ]);
  });
});
