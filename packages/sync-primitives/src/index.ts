export { Barrier, BrokenBarrierError } from './barrier.js';
export { Condition } from './condition.js';
export { Event } from './event.js';
export { Lock } from './lock.js';
export { LoopBound } from './loop-bound.js';
export { BoundedSemaphore, Semaphore } from './semaphore.js';
