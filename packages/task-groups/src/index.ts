export { ExceptionGroup } from './exception-group.js';
export { shield } from './shield.js';
export { splitGroup } from './split-group.js';
export { TaskGroup, taskGroup } from './task-group.js';
