export { Barrier, BrokenBarrierError } from './barrier.js';
export { Condition } from './condition.js';
export { Event } from './event.js';
export { LifoQueue } from './lifo-queue.js';
export { Lock } from './lock.js';
export { LoopBound } from './loop-bound.js';
export { type Comparator, PriorityQueue, type PriorityQueueOptions } from './priority-queue.js';
export { Queue, QueueEmpty, QueueFull, QueueShutDown, type QueueStorage } from './queue.js';
export { BoundedSemaphore, Semaphore } from './semaphore.js';
