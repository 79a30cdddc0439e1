import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExceptionGroup } from '../src/exception-group.js';
import { expectError, thrownBy } from './utils.js';

/**
 * The shape of an error tree: a group becomes the array of its children's shapes, a leaf
 * becomes "Class(message)" (CPython's assertMatchesTemplate).
 */
type Shape = string | Shape[];
function shape(error: unknown): Shape {
  if (error instanceof ExceptionGroup) return error.exceptions.map(shape);
  if (error instanceof Error) return `${error.constructor.name}(${error.message})`;
  return `<${String(error)}>`;
}

/** Every leaf of a tree, depth first (PEP 654's leaf_generator). */
function leaves(error: unknown): unknown[] {
  if (error === null) return [];
  if (error instanceof ExceptionGroup) return error.exceptions.flatMap(leaves);
  return [error];
}

class MyExceptionGroup<E = unknown> extends ExceptionGroup<E> {}

/** CPython's create_simple_eg: three leaves, one of them with a cause. */
function simpleGroup(): ExceptionGroup {
  const memory = new Error('cause of RangeError(1)');
  return new ExceptionGroup('simple eg', [
    new RangeError('1', { cause: memory }),
    new TypeError('int'),
    new RangeError('2'),
  ]);
}
const SIMPLE = ['RangeError(1)', 'TypeError(int)', 'RangeError(2)'];

/** CPython's three-level tree from NestedExceptionGroupSplitTest.test_split_by_type. */
function nestedGroup(): ExceptionGroup {
  const level1 = (i: number) =>
    new ExceptionGroup('msg1', [
      new RangeError(`${i}`),
      new TypeError('int'),
      new RangeError(`${i + 1}`),
    ]);
  const level2 = (i: number) =>
    new MyExceptionGroup('msg2', [level1(i), level1(i + 1), new RangeError(`${i + 2}`)]);
  return new ExceptionGroup('msg3', [level2(6), new RangeError('7')], {
    cause: new Error('root cause'),
  });
}
const NESTED = [
  [
    ['RangeError(6)', 'TypeError(int)', 'RangeError(7)'],
    ['RangeError(7)', 'TypeError(int)', 'RangeError(8)'],
    'RangeError(8)',
  ],
  'RangeError(7)',
];
const NESTED_RANGE = [
  [['RangeError(6)', 'RangeError(7)'], ['RangeError(7)', 'RangeError(8)'], 'RangeError(8)'],
  'RangeError(7)',
];
const NESTED_TYPE = [[['TypeError(int)'], ['TypeError(int)']]];

const BAD_CONDITION =
  'expected an error class, an array of error classes, or a predicate (a function that is not a class)';

describe('ExceptionGroup construction', () => {
  it('is an AggregateError and an Error named ExceptionGroup with the bare message', () => {
    const a = new TypeError('a');
    const b = new RangeError('b');
    const eg = new ExceptionGroup('two', [a, b]);
    expect(eg).toBeInstanceOf(AggregateError);
    expect(eg).toBeInstanceOf(Error);
    expect([eg.name, eg.message, eg.constructor]).toEqual([
      'ExceptionGroup',
      'two',
      ExceptionGroup,
    ]);
    expect(eg.exceptions).toEqual([a, b]);
    expect(eg.exceptions[0]).toBe(a);
    expect(eg.exceptions[1]).toBe(b);
  });

  it('keeps errors and exceptions as one frozen array', () => {
    const eg = new ExceptionGroup('eg', [new TypeError('a')]);
    expect(eg.errors).toBe(eg.exceptions);
    expect(Object.isFrozen(eg.exceptions)).toBe(true);
    const error = thrownBy(() => (eg.exceptions as unknown[]).push(new Error('more')));
    expect(error).toBeInstanceOf(TypeError);
    expect(eg.exceptions.length).toBe(1);
  });

  it('has read-only exceptions and errors, as Python fields are', () => {
    const eg = new ExceptionGroup('eg', [new TypeError('a')]);
    const original = eg.exceptions;
    const replaceExceptions = thrownBy(() => {
      (eg as { exceptions: unknown }).exceptions = [new RangeError('x')];
    });
    const replaceErrors = thrownBy(() => {
      eg.errors = [new RangeError('x')];
    });
    expect([replaceExceptions, replaceErrors].map((e) => (e as Error).constructor)).toEqual([
      TypeError,
      TypeError,
    ]);
    expect([eg.exceptions, eg.errors]).toEqual([original, original]);
    expect(Object.keys(eg)).toEqual([]);
  });

  it('copies any iterable, so changing the source later changes nothing', () => {
    const source = [new TypeError('a')];
    const eg = new ExceptionGroup('eg', source);
    source.push(new TypeError('b'));
    expect(shape(eg)).toEqual(['TypeError(a)']);
    const fromSet = new ExceptionGroup('set', new Set([new RangeError('x'), new RangeError('y')]));
    expect(shape(fromSet)).toEqual(['RangeError(x)', 'RangeError(y)']);
    function* generate() {
      yield new Error('g1');
      yield new Error('g2');
    }
    expect(shape(new ExceptionGroup('gen', generate()))).toEqual(['Error(g1)', 'Error(g2)']);
  });

  it('holds any thrown value, not only errors, since JavaScript can throw anything', () => {
    const eg = new ExceptionGroup<unknown>('mixed', ['text', 42, null]);
    expect(eg.exceptions).toEqual(['text', 42, null]);
  });

  it('takes the cause from the options, as `raise ... from`', () => {
    const cause = new Error('root');
    const eg = new ExceptionGroup('eg', [new TypeError('a')], { cause });
    expect(eg.cause).toBe(cause);
    expect(Object.hasOwn(new ExceptionGroup('eg', [1]), 'cause')).toBe(false);
  });

  it('refuses a message that is not a string with TypeError', () => {
    const call = (message: unknown) =>
      thrownBy(() => new ExceptionGroup(message as string, [new TypeError('x')]));
    expectError(call(12), TypeError, 'first argument (message) must be a string, not number');
    expectError(call(null), TypeError, 'first argument (message) must be a string, not null');
    expectError(
      call(new RangeError('12')),
      TypeError,
      'first argument (message) must be a string, not RangeError',
    );
  });

  it('refuses exceptions that are not an iterable with TypeError', () => {
    const call = (excs: unknown) =>
      thrownBy(() => new ExceptionGroup('eg', excs as Iterable<unknown>));
    expectError(
      call(null),
      TypeError,
      'second argument (exceptions) must be an iterable, not null',
    );
    expectError(
      call(undefined),
      TypeError,
      'second argument (exceptions) must be an iterable, not undefined',
    );
    expectError(
      call(new TypeError('single')),
      TypeError,
      'second argument (exceptions) must be an iterable, not TypeError',
    );
    expectError(
      call('ab'),
      TypeError,
      'second argument (exceptions) must be an iterable of errors, not a string',
    );
  });

  it('refuses an empty sequence with RangeError, as CPython raises ValueError', () => {
    const message = 'second argument (exceptions) must be a non-empty sequence';
    expectError(
      thrownBy(() => new ExceptionGroup('eg', [])),
      RangeError,
      message,
    );
    expectError(
      thrownBy(() => new ExceptionGroup('eg', new Set())),
      RangeError,
      message,
    );
  });

  it('keeps the class of a subclass', () => {
    const eg = new MyExceptionGroup('eg', [new RangeError('12'), new TypeError('42')]);
    expect(eg.constructor).toBe(MyExceptionGroup);
    expect(eg).toBeInstanceOf(ExceptionGroup);
  });
});

describe('ExceptionGroup text', () => {
  it('toString() reads as Python str(eg) after the name, singular for one', () => {
    const flat = new ExceptionGroup('flat', [new RangeError('1'), new TypeError('2')]);
    expect(String(flat)).toBe('ExceptionGroup: flat (2 sub-exceptions)');
    const nested = new ExceptionGroup('nested', [
      flat,
      new RangeError('1'),
      flat,
      new TypeError('2'),
    ]);
    expect(nested.toString()).toBe('ExceptionGroup: nested (4 sub-exceptions)');
    expect(`${new ExceptionGroup('one', [1])}`).toBe('ExceptionGroup: one (1 sub-exception)');
  });

  it('formatTree() shows every nested error, indented under its group', () => {
    const inner = new ExceptionGroup('inner', [new RangeError('b'), 'thrown text']);
    const eg = new ExceptionGroup('outer', [new TypeError('a'), inner, new Error('')]);
    expect(eg.formatTree().split('\n')).toEqual([
      'ExceptionGroup: outer (3 sub-exceptions)',
      '├─ TypeError: a',
      '├─ ExceptionGroup: inner (2 sub-exceptions)',
      '│  ├─ RangeError: b',
      '│  └─ string: thrown text',
      '└─ Error',
    ]);
  });

  it('starts its stack with the name and the bare message', () => {
    const eg = new ExceptionGroup('boom', [new TypeError('a')]);
    expect(eg.stack?.split('\n')[0]).toBe('ExceptionGroup: boom');
  });
});

describe('ExceptionGroup.subgroup()', () => {
  it('returns the group itself for a class the group itself is an instance of', () => {
    const eg = simpleGroup();
    expect(eg.subgroup(Error)).toBe(eg);
    expect(eg.subgroup(AggregateError)).toBe(eg);
    expect(eg.subgroup(ExceptionGroup)).toBe(eg);
    expect(eg.subgroup([SyntaxError, ExceptionGroup])).toBe(eg);
  });

  it('returns null when nothing matches', () => {
    expect(simpleGroup().subgroup(SyntaxError)).toBeNull();
    expect(simpleGroup().subgroup([SyntaxError, EvalError])).toBeNull();
  });

  it('by class or array of classes: a new group with the message and only the matches', () => {
    const eg = simpleGroup();
    const cases: [Parameters<ExceptionGroup['subgroup']>[0], Shape][] = [
      [RangeError, ['RangeError(1)', 'RangeError(2)']],
      [TypeError, ['TypeError(int)']],
      [[RangeError, TypeError], SIMPLE],
    ];
    for (const [condition, expected] of cases) {
      const sub = eg.subgroup(condition);
      expect([sub?.constructor, sub?.message, shape(sub)]).toEqual([
        ExceptionGroup,
        'simple eg',
        expected,
      ]);
    }
  });

  it('a group whose every leaf matches, but which does not match itself, is rebuilt (as CPython)', () => {
    const eg = simpleGroup();
    const sub = eg.subgroup([RangeError, TypeError]);
    expect(sub).not.toBe(eg);
    expect(sub?.exceptions).toEqual(eg.exceptions);
    expect(sub?.exceptions[0]).toBe(eg.exceptions[0]);
  });

  it('by predicate: always true is the group itself, always false is null', () => {
    const eg = simpleGroup();
    expect(eg.subgroup(() => true)).toBe(eg);
    expect(eg.subgroup(() => false)).toBeNull();
    expect(eg.subgroup(() => 1)).toBe(eg);
    expect(eg.subgroup(() => '')).toBeNull();
  });

  it('by predicate: the same results as by class', () => {
    const eg = simpleGroup();
    expect(shape(eg.subgroup((e) => e instanceof RangeError))).toEqual([
      'RangeError(1)',
      'RangeError(2)',
    ]);
    expect(shape(eg.subgroup((e) => e instanceof TypeError))).toEqual(['TypeError(int)']);
    expect(shape(eg.subgroup((e) => e instanceof RangeError || e instanceof TypeError))).toEqual(
      SIMPLE,
    );
  });

  it('calls the predicate on the group first, then on each child depth first', () => {
    const eg = nestedGroup();
    const seen: string[] = [];
    eg.subgroup((e) => {
      seen.push(e instanceof ExceptionGroup ? `group ${e.message}` : String(shape(e)));
      return e instanceof ExceptionGroup && e.message === 'msg1';
    });
    expect(seen).toEqual([
      'group msg3',
      'group msg2',
      'group msg1',
      'group msg1',
      'RangeError(8)',
      'RangeError(7)',
    ]);
  });

  it('matches predicates on values that are not errors', () => {
    const eg = new ExceptionGroup<unknown>('mixed', ['text', new TypeError('t'), 42]);
    expect(eg.subgroup((e) => typeof e === 'string')?.exceptions).toEqual(['text']);
    expect(eg.subgroup(Error)).toBe(eg);
    expect(eg.subgroup(TypeError)?.exceptions).toEqual([eg.exceptions[1]]);
  });

  it('lets an error thrown by the predicate through', () => {
    const boom = new SyntaxError('predicate failed');
    const error = thrownBy(() =>
      simpleGroup().subgroup(() => {
        throw boom;
      }),
    );
    expect(error).toBe(boom);
  });
});

describe('ExceptionGroup.split()', () => {
  it('by a class the group is an instance of: [the group, null]', () => {
    const eg = simpleGroup();
    for (const cls of [Error, AggregateError, ExceptionGroup]) {
      const [match, rest] = eg.split(cls);
      expect(match).toBe(eg);
      expect(rest).toBeNull();
    }
  });

  it('with no match: [null, a group with every error]', () => {
    const eg = simpleGroup();
    const [match, rest] = eg.split(SyntaxError);
    expect(match).toBeNull();
    expect([rest?.constructor, rest?.message, shape(rest)]).toEqual([
      ExceptionGroup,
      'simple eg',
      SIMPLE,
    ]);
  });

  it('by class and array of classes: matches on one side, the others on the other', () => {
    const eg = simpleGroup();
    const cases: [Parameters<ExceptionGroup['split']>[0], Shape, Shape | null][] = [
      [RangeError, ['RangeError(1)', 'RangeError(2)'], ['TypeError(int)']],
      [TypeError, ['TypeError(int)'], ['RangeError(1)', 'RangeError(2)']],
      [[RangeError, TypeError], SIMPLE, null],
      [[SyntaxError, RangeError], ['RangeError(1)', 'RangeError(2)'], ['TypeError(int)']],
    ];
    for (const [condition, matchShape, restShape] of cases) {
      const [match, rest] = eg.split(condition);
      expect([match?.message, shape(match)]).toEqual(['simple eg', matchShape]);
      if (restShape === null) expect(rest).toBeNull();
      else expect([rest?.message, shape(rest)]).toEqual(['simple eg', restShape]);
    }
  });

  it('by predicate: always true is [the group, null], always false is [null, a copy]', () => {
    const eg = simpleGroup();
    expect(eg.split(() => true)).toEqual([eg, null]);
    expect(eg.split(() => true)[0]).toBe(eg);
    const [match, rest] = eg.split(() => false);
    expect(match).toBeNull();
    expect(rest).not.toBe(eg);
    expect(shape(rest)).toEqual(SIMPLE);
  });

  it('by predicate: the same parts as by class', () => {
    const [match, rest] = simpleGroup().split((e) => e instanceof TypeError);
    expect([shape(match), shape(rest)]).toEqual([
      ['TypeError(int)'],
      ['RangeError(1)', 'RangeError(2)'],
    ]);
  });

  it('keeps the nesting of a three-level tree and drops emptied groups', () => {
    const eg = nestedGroup();
    expect(shape(eg)).toEqual(NESTED);
    const [ranges, typesLeft] = eg.split(RangeError);
    expect([shape(ranges), shape(typesLeft)]).toEqual([NESTED_RANGE, NESTED_TYPE]);
    const [types, rangesLeft] = eg.split([TypeError, SyntaxError]);
    expect([shape(types), shape(rangesLeft)]).toEqual([NESTED_TYPE, NESTED_RANGE]);
    const [all, none] = eg.split([RangeError, TypeError]);
    expect([shape(all), none]).toEqual([NESTED, null]);
    const [nothing, everything] = eg.split(SyntaxError);
    expect([nothing, shape(everything)]).toEqual([null, NESTED]);
  });

  it('keeps each nested group message in its place', () => {
    const [ranges] = nestedGroup().split(RangeError);
    const level2 = ranges?.exceptions[0] as ExceptionGroup;
    const level1 = level2.exceptions[0] as ExceptionGroup;
    expect([ranges?.message, level2.message, level1.message]).toEqual(['msg3', 'msg2', 'msg1']);
  });

  it('takes a matching nested group whole, by its subclass', () => {
    const eg = nestedGroup();
    const [match, rest] = eg.split(MyExceptionGroup);
    expect([shape(match), shape(rest)]).toEqual([[NESTED[0]], [NESTED[1]]]);
    expect(match?.exceptions[0]).toBe(eg.exceptions[0]);
    expect(eg.split(ExceptionGroup)[0]).toBe(eg);
  });

  it('puts every leaf in exactly one part, in order, and subgroup() agrees with the match', () => {
    const eg = nestedGroup();
    for (const condition of [RangeError, TypeError, (e: unknown) => shape(e) === 'RangeError(7)']) {
      const [match, rest] = eg.split(condition);
      const sub = eg.subgroup(condition);
      expect(leaves(sub)).toEqual(leaves(match));
      const all = leaves(eg);
      expect(
        [...leaves(match), ...leaves(rest)].sort((a, b) => all.indexOf(a) - all.indexOf(b)),
      ).toEqual(all);
      expect(leaves(match).length + leaves(rest).length).toBe(all.length);
    }
  });

  it('copies cause and stack onto every derived part, as CPython copies __cause__ and __traceback__', () => {
    const eg = nestedGroup();
    const [match, rest] = eg.split(TypeError);
    const sub = eg.subgroup(TypeError);
    for (const part of [match, rest, sub]) {
      expect(part).not.toBe(eg);
      expect(part?.cause).toBe(eg.cause);
      expect(part?.stack).toBe(eg.stack);
      expect(part?.message).toBe(eg.message);
    }
    const nestedSource = eg.exceptions[0] as ExceptionGroup;
    const nestedPart = match?.exceptions[0] as ExceptionGroup;
    expect(nestedPart.stack).toBe(nestedSource.stack);
  });

  it('leaves derived parts without a cause when the group has none', () => {
    const [match, rest] = new ExceptionGroup('eg', [new TypeError('a'), new RangeError('b')]).split(
      TypeError,
    );
    expect([
      Object.hasOwn(match as object, 'cause'),
      Object.hasOwn(rest as object, 'cause'),
    ]).toEqual([false, false]);
  });

  it('refuses a condition that is not a class, an array of classes or a predicate', () => {
    class NotAnError {}
    const bad: unknown[] = [
      'bad arg',
      NotAnError,
      new TypeError('instance not class'),
      [TypeError, 42],
      [TypeError, NotAnError],
      null,
      undefined,
    ];
    const eg = simpleGroup();
    for (const condition of bad) {
      expectError(
        thrownBy(() => eg.subgroup(condition as typeof Error)),
        TypeError,
        BAD_CONDITION,
      );
      expectError(
        thrownBy(() => eg.split(condition as typeof Error)),
        TypeError,
        BAD_CONDITION,
      );
    }
  });

  it('is a pure partition of random trees (property)', () => {
    const leafArb = fc.oneof(
      fc.nat(9).map((n) => new RangeError(`${n}`)),
      fc.nat(9).map((n) => new TypeError(`${n}`)),
      fc.nat(9).map((n) => new SyntaxError(`${n}`)),
    );
    const { tree } = fc.letrec<{ tree: unknown; node: unknown }>((tie) => ({
      tree: fc
        .array(tie('node'), { minLength: 1, maxLength: 4 })
        .map((children) => new ExceptionGroup('g', children)),
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leafArb, tie('tree')),
    }));
    const conditionArb = fc.constantFrom<typeof Error | (typeof Error)[]>(RangeError, TypeError, [
      RangeError,
      SyntaxError,
    ]);
    fc.assert(
      fc.property(tree, conditionArb, (root, condition) => {
        const eg = root as ExceptionGroup;
        const [match, rest] = eg.split(condition);
        const classes = Array.isArray(condition) ? condition : [condition];
        const isMatch = (e: unknown) => classes.some((cls) => e instanceof cls);
        expect(leaves(match)).toEqual(leaves(eg).filter(isMatch));
        expect(leaves(rest)).toEqual(leaves(eg).filter((e) => !isMatch(e)));
        expect(leaves(eg.subgroup(condition))).toEqual(leaves(match));
        expect(shape(eg)).toEqual(shape(root));
      }),
      { numRuns: 200 },
    );
  });
});

describe('ExceptionGroup.derive()', () => {
  it('makes a plain ExceptionGroup with the same message and no cause', () => {
    const eg = new MyExceptionGroup('eg', [new TypeError('1')], { cause: new Error('c') });
    const derived = eg.derive([new RangeError('2')]);
    expect([derived.constructor, derived.message, shape(derived)]).toEqual([
      ExceptionGroup,
      'eg',
      ['RangeError(2)'],
    ]);
    expect(Object.hasOwn(derived, 'cause')).toBe(false);
  });

  it('gives plain ExceptionGroup parts for a subclass that does not override it', () => {
    const eg = new MyExceptionGroup('nested', [
      new RangeError('1'),
      new MyExceptionGroup('inner', [new TypeError('2')]),
    ]);
    const [match, rest] = eg.split(RangeError);
    expect([match?.constructor, rest?.constructor]).toEqual([ExceptionGroup, ExceptionGroup]);
    // The nested group did not match as a whole, so it was rebuilt through derive() too.
    const innerRest = rest?.exceptions[0] as ExceptionGroup;
    expect([innerRest === eg.exceptions[1], innerRest.constructor, shape(innerRest)]).toEqual([
      false,
      ExceptionGroup,
      ['TypeError(2)'],
    ]);
  });

  it('is the hook split() uses, so a subclass keeps its class and fields', () => {
    class CodedGroup extends ExceptionGroup {
      readonly code: number;
      constructor(message: string, excs: Iterable<unknown>, code: number) {
        super(message, excs);
        this.code = code;
      }
      override derive<D>(excs: Iterable<D | ExceptionGroup<D>>): ExceptionGroup<D> {
        return new CodedGroup(this.message, excs, this.code) as ExceptionGroup<D>;
      }
    }
    const cause = new Error('why');
    const eg = new CodedGroup('coded', [new TypeError('1'), new RangeError('2')], 42);
    Object.defineProperty(eg, 'cause', { value: cause, configurable: true, writable: true });
    const [match, rest] = eg.split(TypeError);
    for (const part of [match, rest]) {
      expect(part).toBeInstanceOf(CodedGroup);
      expect([(part as CodedGroup).code, part?.message, part?.cause]).toEqual([42, 'coded', cause]);
    }
    expect([shape(match), shape(rest)]).toEqual([['TypeError(1)'], ['RangeError(2)']]);
  });

  it('must return an ExceptionGroup, else split() and subgroup() throw TypeError', () => {
    class BadGroup extends ExceptionGroup {
      override derive<D>(): ExceptionGroup<D> {
        return 42 as unknown as ExceptionGroup<D>;
      }
    }
    const eg = new BadGroup('eg', [new TypeError('1'), new RangeError('2')]);
    const message = 'derive must return an instance of ExceptionGroup';
    expectError(
      thrownBy(() => eg.split(TypeError)),
      TypeError,
      message,
    );
    expectError(
      thrownBy(() => eg.subgroup(TypeError)),
      TypeError,
      message,
    );
  });
});
