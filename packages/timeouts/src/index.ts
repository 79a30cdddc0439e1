export { type AsCompletedOptions, asCompleted } from './as-completed.js';
export { Timeout, type TimeoutBody, timeout, timeoutAt } from './timeout.js';
export {
  ALL_COMPLETED,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  type ReturnWhen,
  type WaitOptions,
  wait,
} from './wait.js';
export { waitFor } from './wait-for.js';
