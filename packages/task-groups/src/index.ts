export {
  type ErrorClass,
  ExceptionGroup,
  type GroupCondition,
  type InstanceOfEach,
  type Matched,
} from './exception-group.js';
export { shield } from './shield.js';
export { splitGroup } from './split-group.js';
export { TaskGroup, type TaskGroupTaskOptions, taskGroup } from './task-group.js';
