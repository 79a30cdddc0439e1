import { describe, expect, it } from 'vitest';
import { RingQueue } from '../src/index.js';

describe('RingQueue', () => {
  it('gives items back in the order they were pushed, across wrap-around and growth', () => {
    const fifo = new RingQueue<number>(16);
    const out: number[] = [];
    // Interleave pushes and shifts so the head wraps, then push past the capacity so it grows.
    for (let i = 0; i < 10; i++) fifo.push(i);
    for (let i = 0; i < 8; i++) out.push(fifo.shift());
    for (let i = 10; i < 50; i++) fifo.push(i);
    expect(fifo.length).toBe(42);
    expect([...fifo]).toEqual(Array.from({ length: 42 }, (_, i) => i + 8));
    while (fifo.length > 0) out.push(fifo.shift());
    expect(out).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('clear() empties it, and it is usable again afterwards', () => {
    const fifo = new RingQueue<string>(16);
    fifo.push('a');
    fifo.push('b');
    fifo.clear();
    expect(fifo.length).toBe(0);
    expect([...fifo]).toEqual([]);
    fifo.push('c');
    expect(fifo.shift()).toBe('c');
  });
});
