export { asCompleted } from './as-completed.js';
export { Timeout, timeout, timeoutAt } from './timeout.js';
export { ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, wait } from './wait.js';
export { waitFor } from './wait-for.js';
