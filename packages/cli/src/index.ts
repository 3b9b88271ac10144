export type { Io } from './io.js';
export { EXIT } from './io.js';
export { buildProgram, main } from './main.js';
export type { SandboxInfo } from './sandbox/init.js';
export { initSandbox } from './sandbox/init.js';
export { pushSandboxImage } from './sandbox/push.js';
export { formatStatusTable } from './status-table.js';
