import { CancelledError, type Coro, TimeoutError } from '@asyncio-ts/core-loop';
import { sleep } from '@asyncio-ts/tasks';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ExceptionGroup, type GroupCondition } from '../src/exception-group.js';
import { splitGroup } from '../src/split-group.js';
import { expectError, now, rejectionOf, runVirtual, thrownBy } from './utils.js';

const EXCEPT_STAR_GROUP =
  'catching ExceptionGroup with except* is not allowed. Use except instead.';

function messages(group: ExceptionGroup | null): string[] | null {
  return group === null ? null : group.exceptions.map((e) => (e as Error).message);
}

class MyGroup extends ExceptionGroup {}
class NotFound extends Error {
  readonly status = 404;
}
class Conflict extends Error {
  readonly status = 409;
}

describe('splitGroup()', () => {
  it('splits a group by class, keeping its message', () => {
    const eg = new ExceptionGroup('eg', [new TypeError('t'), new RangeError('r')]);
    const [match, rest] = splitGroup(eg, TypeError);
    expect([match?.message, messages(match)]).toEqual(['eg', ['t']]);
    expect(rest).toBeInstanceOf(ExceptionGroup);
    expect([(rest as ExceptionGroup).message, messages(rest as ExceptionGroup)]).toEqual([
      'eg',
      ['r'],
    ]);
  });

  it('gives [the group, null] when the group matches as a whole', () => {
    const eg = new ExceptionGroup('eg', [new TypeError('t')]);
    const [match, rest] = splitGroup(eg, Error);
    expect(match).toBe(eg);
    expect(rest).toBeNull();
  });

  it('gives [null, a group of the same errors] when nothing in a group matches', () => {
    const eg = new ExceptionGroup('eg', [new TypeError('t')]);
    const [match, rest] = splitGroup(eg, RangeError);
    expect(match).toBeNull();
    expect(messages(rest as ExceptionGroup)).toEqual(['t']);
  });

  it("wraps a plain error that matches in ExceptionGroup('', [err])", () => {
    const err = new TimeoutError('late');
    const [match, rest] = splitGroup(err, TimeoutError);
    expect(match).toBeInstanceOf(ExceptionGroup);
    expect([match?.constructor, match?.message, match?.exceptions.length]).toEqual([
      ExceptionGroup,
      '',
      1,
    ]);
    expect(match?.exceptions[0]).toBe(err);
    expect(rest).toBeNull();
  });

  it('returns a plain error that does not match as the rest, the same object', () => {
    const err = new RangeError('bad');
    const [match, rest] = splitGroup(err, TimeoutError);
    expect(match).toBeNull();
    expect(rest).toBe(err);
  });

  it('matches a plain error by an array of classes or by a predicate', () => {
    const err = new RangeError('bad');
    expect(splitGroup(err, [TypeError, RangeError])[0]?.exceptions).toEqual([err]);
    expect(splitGroup(err, (e) => (e as Error).message === 'bad')[0]?.exceptions).toEqual([err]);
    expect(splitGroup(err, (e) => (e as Error).message === 'other')).toEqual([null, err]);
  });

  it('treats a thrown value that is not an error as a plain error', () => {
    expect(splitGroup('text', Error)).toEqual([null, 'text']);
    const [match, rest] = splitGroup('text', (e) => typeof e === 'string');
    expect([match?.exceptions, rest]).toEqual([['text'], null]);
  });

  it('refuses ExceptionGroup and its subclasses as the condition, as except* does', () => {
    const eg = new ExceptionGroup('eg', [new TypeError('t')]);
    const conditions: GroupCondition[] = [ExceptionGroup, MyGroup, [TypeError, ExceptionGroup]];
    for (const condition of conditions) {
      expectError(
        thrownBy(() => splitGroup(eg, condition)),
        TypeError,
        EXCEPT_STAR_GROUP,
      );
      expectError(
        thrownBy(() => splitGroup(new TypeError('naked'), condition)),
        TypeError,
        EXCEPT_STAR_GROUP,
      );
    }
  });

  it('refuses a condition that is neither a class, an array of classes nor a predicate', () => {
    expectError(
      thrownBy(() => splitGroup(new TypeError('naked'), 'TypeError' as unknown as typeof Error)),
      TypeError,
      'expected an error class, an array of error classes, or a predicate (a function that is not a class)',
    );
  });

  it('types the match by the class it was given', () => {
    const [timeouts, rest] = splitGroup(new TimeoutError('x'), TimeoutError);
    expectTypeOf(timeouts).toEqualTypeOf<ExceptionGroup<TimeoutError> | null>();
    expectTypeOf(rest).toBeUnknown();
    const [either] = splitGroup(null, [NotFound, Conflict]);
    expectTypeOf(either).toEqualTypeOf<ExceptionGroup<NotFound | Conflict> | null>();
    const [anything] = splitGroup(null, (e) => e === null);
    expectTypeOf(anything).toEqualTypeOf<ExceptionGroup<unknown> | null>();
    expect([timeouts?.exceptions.length, either, anything?.exceptions]).toEqual([1, null, [null]]);
  });

  it('handles clauses in turn like a chain of except* blocks, rethrowing what is left', async () => {
    const log: string[] = [];
    function* failing(): Coro<never> {
      yield* sleep(10);
      throw new ExceptionGroup('work failed', [
        new TimeoutError('a timed out'),
        new ExceptionGroup('inner', [new TypeError('b is wrong'), new TimeoutError('c timed out')]),
        new RangeError('d out of range'),
      ]);
    }
    function* main(): Coro<void> {
      try {
        yield* failing();
      } catch (e) {
        const [timeouts, afterTimeouts] = splitGroup(e, TimeoutError);
        if (timeouts) log.push(`timeouts: ${timeouts.exceptions.length} at ${now()}`);
        const [typeErrors, rest] = splitGroup(afterTimeouts, TypeError);
        if (typeErrors) log.push(`type errors: ${String(typeErrors)}`);
        if (rest) throw rest;
      }
    }
    const error = await rejectionOf(runVirtual(main));
    expect(log).toEqual([
      'timeouts: 2 at 10',
      'type errors: ExceptionGroup: work failed (1 sub-exception)',
    ]);
    expect(error).toBeInstanceOf(ExceptionGroup);
    const rest = error as ExceptionGroup;
    expect([rest.message, messages(rest)]).toEqual(['work failed', ['d out of range']]);
  });

  it('lets a CancelledError through as the rest when the clause names another class', async () => {
    function* main(): Coro<string> {
      try {
        throw new CancelledError('stop');
      } catch (e) {
        const [match, rest] = splitGroup(e, TimeoutError);
        expect(match).toBeNull();
        return rest instanceof CancelledError ? `rest: ${rest.message}` : 'lost';
      }
    }
    expect(await runVirtual(main)).toBe('rest: stop');
  });

  it('ends with nothing to rethrow when every error was handled', () => {
    const eg = new ExceptionGroup('eg', [new TimeoutError('a'), new TypeError('b')]);
    const [timeouts, afterTimeouts] = splitGroup(eg, TimeoutError);
    const [types, rest] = splitGroup(afterTimeouts, TypeError);
    expect([messages(timeouts), messages(types), rest]).toEqual([['a'], ['b'], null]);
  });
});
