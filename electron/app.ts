// The main process, with Electron passed in (tests hand in a fake): one window per app (a
// single-instance lock, so two windows never open the same database), the API in a
// utilityProcess, the window's port to it, menus and dialogs. Everything that decides something
// lives in the small modules this file wires together.
//
// API keys stored in the app (secret-store.ts, managed through `window.tandem.secrets`) are
// decrypted each time the host starts and put in its environment. A change applies from the
// host's next start (app start, another workspace, a restart after a crash): the running host
// keeps its environment, because restarting it would cancel the runs in progress.

import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type * as Electron from 'electron';
import { formatKeyOrigins, KEY_ORIGINS_ENV } from '../core/contract/key-names.ts';
import { ELECTRON_EXIT_CANNOT_START, HANDSHAKE_ALREADY_RUNNING, HANDSHAKE_CANNOT_START, HANDSHAKE_READY, LAUNCHED_BY_CLI_ENV } from '../core/host/electron-handshake.ts';
import type { AppFiles } from './app-files.ts';
import { resolveWorkspaceDb } from './db-path.ts';
import { askRestartBackend, offerAnotherWorkspace, pickWorkspaceFile, showAbout } from './dialogs.ts';
import { startHost, type HostHandle } from './host-process.ts';
import { menuTemplate } from './menu.ts';
import { CONNECT_CHANNEL } from './preload-setup.ts';
import { installReportPdfHandler, type PdfElectron } from './report-pdf.ts';
import { installSecretHandlers, type SecretsInvokeEvent } from './secret-ipc.ts';
import { createSecretStore, type SecretStore } from './secret-store.ts';
import { installContentsGuards, installSessionGuards, isAppUrl } from './security.ts';
import { devToolsEnabled, mainWindowOptions } from './window-options.ts';

export type ElectronMain = Pick<
  typeof Electron,
  'app' | 'BrowserWindow' | 'Menu' | 'dialog' | 'shell' | 'session' | 'ipcMain' | 'utilityProcess' | 'MessageChannelMain' | 'safeStorage'
>;

export interface AppOptions {
  electron: ElectronMain;
  files: AppFiles;
  argv: readonly string[];
  env: Record<string, string | undefined>;
  cwd: string;
  platform: NodeJS.Platform;
  versions: NodeJS.ProcessVersions;
  /** One line on stdout (the handshake `tandem start` reads). */
  print(line: string): void;
  /** How long the API host may take to open the workspace; default 60 s. */
  hostReadyTimeoutMs?: number;
  /** Diagnostics on stderr (never a key's value); default console.error. */
  log?(line: string): void;
}

export async function startApp(options: AppOptions): Promise<void> {
  const { electron, files, print } = options;
  const { app, dialog } = electron;
  const launchedByCli = options.env[LAUNCHED_BY_CLI_ENV] === '1';
  const devTools = devToolsEnabled(options.env);
  if (!app.requestSingleInstanceLock()) {
    print(HANDSHAKE_ALREADY_RUNNING);
    app.quit();
    return;
  }

  const log = options.log ?? ((line: string) => console.error(line));
  const appUrl = pathToFileURL(files.rendererIndex).href;
  let secrets: SecretStore | null = null; // safeStorage works once the app is ready
  /**
   * The host's environment: main's own, plus the stored API keys (a stored key wins over an
   * inherited variable) and the origins they are for, added to TANDEM_KEY_ORIGINS.
   */
  const hostEnv = (): Record<string, string> => {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.env)) if (value !== undefined) env[name] = value;
    try {
      if (secrets) {
        Object.assign(env, secrets.decryptAll());
        const stored = formatKeyOrigins(secrets.list().flatMap((key) => key.origins.map((origin) => [key.name, origin] as const)));
        const listed = [env[KEY_ORIGINS_ENV], stored].filter((part) => part !== undefined && part.trim() !== '').join(' ');
        if (listed !== '') env[KEY_ORIGINS_ENV] = listed;
      }
    } catch (error) {
      log(`tandem: the stored API keys were not loaded: ${error instanceof Error ? error.message : String(error)}`);
    }
    return env;
  };
  const hostDeps = { utilityProcess: electron.utilityProcess, MessageChannelMain: electron.MessageChannelMain, hostFile: files.host, readyTimeoutMs: options.hostReadyTimeoutMs, env: hostEnv };
  let window: Electron.BrowserWindow | null = null;
  let host: HostHandle | null = null;
  /** Whether an IPC call comes from the window's own page (the preload runs in its main frame alone). */
  const fromAppPage = (event: SecretsInvokeEvent): boolean => window !== null && event.sender === window.webContents && !!event.senderFrame && isAppUrl(event.senderFrame.url, appUrl);

  const cannotStart = (reason: string): void => {
    if (launchedByCli) print(`${HANDSHAKE_CANNOT_START}${reason}`);
    else dialog.showErrorBox('Tandem cannot start', reason);
    app.exit(ELECTRON_EXIT_CANNOT_START);
  };

  /** Opens a workspace, offering another file while it cannot be opened; null when the user gave up (or it failed for good). */
  const openWorkspace = async (dbPath: string, replacing: boolean): Promise<HostHandle | null> => {
    for (let candidate: string | null = dbPath; candidate !== null; ) {
      const started = await startHost(hostDeps, candidate);
      if (started.ok) return started.host;
      const { failure } = started;
      if (failure.kind === 'native-module' || failure.kind === 'internal') {
        if (!replacing) cannotStart(failure.error.message);
        else dialog.showErrorBox('Tandem cannot open this workspace', failure.error.message);
        return null;
      }
      const another = await offerAnotherWorkspace(dialog, window, candidate, failure, replacing ? 'Cancel' : 'Quit');
      candidate = another ? await pickWorkspaceFile(dialog, window, candidate) : null;
    }
    if (!replacing) app.quit();
    return null;
  };

  const adopt = (next: HostHandle): void => {
    host = next;
    next.onUnexpectedExit((code) => {
      if (host !== next) return;
      host = null;
      void askRestartBackend(dialog, window, code).then(async (restart) => {
        const again = restart ? await openWorkspace(next.dbPath, false) : null;
        if (!again) return app.quit();
        adopt(again);
        window?.webContents.reload(); // the reloaded preload asks for a port to the new host
      });
    });
    window?.setTitle(`Tandem — ${next.dbPath}`);
  };

  const switchWorkspace = async (): Promise<void> => {
    const chosen = await pickWorkspaceFile(dialog, window, host?.dbPath);
    if (!chosen || chosen === host?.dbPath) return;
    const next = await openWorkspace(chosen, true);
    if (!next) return;
    const previous = host;
    adopt(next);
    window?.webContents.reload();
    await previous?.stop();
  };

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  // Every web contents (the window, devtools, anything a bug might create) gets the guards.
  app.on('web-contents-created', (_event, contents) => installContentsGuards(contents, { appUrl, openExternal: (url) => void electron.shell.openExternal(url) }));
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (!host) return;
    event.preventDefault(); // close the API first: active runs are cancelled cleanly, not killed
    const closing = host;
    host = null;
    void closing.stop().finally(() => app.quit());
  });

  await app.whenReady();
  installSessionGuards(electron.session.defaultSession);
  secrets = createSecretStore({ safeStorage: electron.safeStorage, dir: app.getPath('userData'), platform: options.platform, log });
  for (const [file, what] of [
    [files.rendererIndex, 'the workbench is not built'],
    [files.preload, 'the Electron preload is not built'],
    [files.host, 'the Electron API host is not built'],
  ] as const) {
    if (!existsSync(file)) return cannotStart(`${what}: ${file} is missing; run \`npm run build\``);
  }
  electron.Menu.setApplicationMenu(
    electron.Menu.buildFromTemplate(
      menuTemplate({
        platform: options.platform,
        devTools,
        openWorkspace: () => void switchWorkspace(),
        about: () => void showAbout(dialog, window, { version: app.getVersion(), dbPath: host?.dbPath ?? null, versions: options.versions }),
      }),
    ),
  );

  const dbPath = resolveWorkspaceDb({ argv: options.argv, env: options.env, userDataDir: app.getPath('userData'), cwd: options.cwd });
  const first = await openWorkspace(dbPath, false);
  if (!first) return;

  const win = new electron.BrowserWindow(mainWindowOptions(files.preload, { devTools }));
  window = win;
  adopt(first);
  win.on('page-title-updated', (event) => event.preventDefault()); // the title names the workspace
  win.once('ready-to-show', () => {
    win.show();
    print(HANDSHAKE_READY);
  });
  win.on('closed', () => {
    window = null;
  });
  electron.ipcMain.on(CONNECT_CHANNEL, (event) => {
    // Only the window's own page gets a port.
    if (window === null || !fromAppPage(event)) return;
    host?.connect(window.webContents);
  });
  installSecretHandlers(electron.ipcMain, secrets, { isAppSender: fromAppPage });
  installReportPdfHandler(electron.ipcMain, electron as unknown as PdfElectron, { isAppSender: (event) => fromAppPage(event as SecretsInvokeEvent) });
  await win.loadFile(files.rendererIndex);
}
