// A fake of the Electron main-process modules app.ts uses, recording what it is asked to do.
// The utility process answers like the real host would, per database path, as the test says.
// safeStorage "encrypts" with a reversible transform (XOR and reversal, behind a marker), which
// is enough to see that the plaintext never reaches a file.

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
    readonly options: { serviceName?: string; stdio?: string; env?: Record<string, string> } = {},
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

const FAKE_CIPHER_MARK = 'fake-v1:';

/** A safeStorage whose encryption is a reversible transform; `available: false` plays a system without a keychain. */
export function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}) {
  const state = { available: options.available ?? true, backend: options.backend ?? 'gnome_libsecret', encrypted: 0, decrypted: 0 };
  const transform = (bytes: Buffer): Buffer => Buffer.from(bytes.map((b) => b ^ 0x5a).reverse());
  return {
    state,
    isEncryptionAvailable: () => state.available,
    getSelectedStorageBackend: () => state.backend,
    encryptString: (plainText: string): Buffer => {
      if (!state.available) throw new Error('Encryption is not available.');
      state.encrypted++;
      return Buffer.concat([Buffer.from(FAKE_CIPHER_MARK), transform(Buffer.from(plainText, 'utf8'))]);
    },
    decryptString: (encrypted: Buffer): string => {
      if (!state.available) throw new Error('Decryption is not available.');
      const mark = encrypted.subarray(0, FAKE_CIPHER_MARK.length).toString();
      if (mark !== FAKE_CIPHER_MARK) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      state.decrypted++;
      return transform(encrypted.subarray(FAKE_CIPHER_MARK.length)).toString('utf8');
    },
  };
}

export type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

export function fakeElectron(options: { lock?: boolean; hosts?: Record<string, HostBehaviour>; userData?: string; safeStorage?: ReturnType<typeof fakeSafeStorage> } = {}) {
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
  const handlers = new Map<string, InvokeHandler>();
  const ipcMain = Object.assign(new EventEmitter(), {
    handle: (channel: string, handler: InvokeHandler) => {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, handler);
    },
    /** Calls the handler main registered for `channel`, as ipcRenderer.invoke would. */
    invoke: async (channel: string, event: unknown, ...args: unknown[]) => {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return handler(event, ...args);
    },
  });
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
    safeStorage: options.safeStorage ?? fakeSafeStorage(),
    utilityProcess: {
      fork: (modulePath: string, args: string[] = [], forkOptions: FakeUtilityProcess['options'] = {}) => {
        const child = new FakeUtilityProcess(modulePath, args, forkOptions);
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
  return { electron: electron as unknown as ElectronMain, record, ipcMain, handlers };
}
