// A fake of the Electron main-process modules app.ts uses, recording what it is asked to do.
// The utility process answers like the real host would, per database path, as the test says.

import { EventEmitter } from 'node:events';
import type { ElectronMain } from '../../../electron/app.ts';
import type { HostFailure } from '../../../electron/host-messages.ts';

export type HostBehaviour = { ready: true } | { failure: HostFailure } | { crashWith: number };

export class FakeUtilityProcess extends EventEmitter {
  readonly messages: Array<{ message: unknown; transfer: unknown[] }> = [];
  killed = false;

  constructor(
    readonly modulePath: string,
    readonly args: string[],
  ) {
    super();
  }

  postMessage(message: unknown, transfer: unknown[] = []): void {
    this.messages.push({ message, transfer });
    if ((message as { type?: string }).type === 'close') setImmediate(() => this.emit('exit', 0));
  }

  kill(): boolean {
    this.killed = true;
    setImmediate(() => this.emit('exit', 15));
    return true;
  }
}

class FakeWebContents extends EventEmitter {
  readonly posted: Array<{ channel: string; message: unknown; transfer: unknown[] }> = [];
  readonly mainFrame = { url: '' };
  reloads = 0;
  openHandler: unknown = null;
  setWindowOpenHandler(handler: unknown): void {
    this.openHandler = handler;
  }
  postMessage(channel: string, message: unknown, transfer: unknown[] = []): void {
    this.posted.push({ channel, message, transfer });
  }
  reload(): void {
    this.reloads++;
  }
}

export function fakeElectron(options: { lock?: boolean; hosts?: Record<string, HostBehaviour>; userData?: string } = {}) {
  const app = new EventEmitter() as EventEmitter & Record<string, unknown>;
  const record = {
    quit: 0,
    exitCode: null as number | null,
    windows: [] as Array<{ options: Record<string, unknown>; webContents: FakeWebContents; loaded: string | null; shown: boolean; title: string }>,
    forks: [] as FakeUtilityProcess[],
    menu: null as unknown,
    messageBoxes: [] as Array<Record<string, unknown>>,
    errorBoxes: [] as Array<{ title: string; content: string }>,
    openDialogs: 0,
    external: [] as string[],
    headersGuard: false,
    /** What the next message boxes answer (button index), in order; default 0. */
    messageBoxAnswers: [] as number[],
    /** What the next open dialogs return, in order; null: cancelled. */
    openDialogAnswers: [] as Array<string | null>,
  };
  const ipcMain = new EventEmitter();
  const hosts = options.hosts ?? {};

  Object.assign(app, {
    requestSingleInstanceLock: () => options.lock ?? true,
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => (name === 'userData' ? (options.userData ?? '/home/u/.config/Tandem') : `/tmp/${name}`),
    getVersion: () => '0.1.0',
    quit: () => {
      record.quit++;
      const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
      app.emit('will-quit', event);
    },
    exit: (code: number) => {
      record.exitCode = code;
    },
  });

  class BrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    readonly entry;
    constructor(windowOptions: Record<string, unknown>) {
      super();
      this.entry = { options: windowOptions, webContents: this.webContents, loaded: null as string | null, shown: false, title: '' };
      record.windows.push(this.entry);
      app.emit('web-contents-created', {}, this.webContents);
    }
    async loadFile(file: string): Promise<void> {
      this.entry.loaded = file;
      this.webContents.mainFrame.url = `file://${file}`;
      this.emit('ready-to-show');
    }
    show(): void {
      this.entry.shown = true;
    }
    setTitle(title: string): void {
      this.entry.title = title;
    }
    isMinimized(): boolean {
      return false;
    }
    restore(): void {}
    focus(): void {}
  }

  class MessageChannelMain {
    readonly port1 = { name: 'port1' };
    readonly port2 = { name: 'port2' };
  }

  const electron = {
    app,
    BrowserWindow,
    MessageChannelMain,
    ipcMain,
    Menu: {
      buildFromTemplate: (template: unknown) => ({ template }),
      setApplicationMenu: (menu: unknown) => (record.menu = menu),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: () => (record.headersGuard = true) },
        setPermissionRequestHandler: () => {},
        setPermissionCheckHandler: () => {},
      },
    },
    shell: { openExternal: async (url: string) => void record.external.push(url) },
    dialog: {
      showMessageBox: async (...args: unknown[]) => {
        record.messageBoxes.push(args.at(-1) as Record<string, unknown>);
        return { response: record.messageBoxAnswers.shift() ?? 0, checkboxChecked: false };
      },
      showOpenDialog: async () => {
        record.openDialogs++;
        const answer = record.openDialogAnswers.shift() ?? null;
        return { canceled: answer === null, filePaths: answer === null ? [] : [answer] };
      },
      showErrorBox: (title: string, content: string) => record.errorBoxes.push({ title, content }),
    },
    utilityProcess: {
      fork: (modulePath: string, args: string[] = []) => {
        const child = new FakeUtilityProcess(modulePath, args);
        record.forks.push(child);
        const dbPath = args[args.indexOf('--db') + 1]!;
        const behaviour = hosts[dbPath] ?? { ready: true };
        setImmediate(() => {
          if ('ready' in behaviour) child.emit('message', { type: 'ready', dbPath });
          else if ('failure' in behaviour) child.emit('message', { type: 'failed', failure: behaviour.failure });
          else child.emit('exit', behaviour.crashWith);
        });
        return child;
      },
    },
  };
  return { electron: electron as unknown as ElectronMain, record, ipcMain };
}
