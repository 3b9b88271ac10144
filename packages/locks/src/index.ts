export type { FileLock, HeldLock, LockHolder } from './file-lock.js';
export { fileLock, LockBusyError, processInstanceId } from './file-lock.js';
