// core/host: what the processes that host the API share (`tandem serve`, the desktop app's API
// host, `tandem start` launching Electron): the workspace lock and the lines the Electron process
// tells `tandem start`.

export { lockWorkspace, WorkspaceLockError, type WorkspaceLock } from './workspace-lock.ts';
export * from './electron-handshake.ts';
