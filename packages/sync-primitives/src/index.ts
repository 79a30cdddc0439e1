export { LoopBound } from './loop-bound.js';
