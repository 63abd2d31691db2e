// The main process's dialogs: pick a workspace file, say why a workspace cannot be opened (and
// offer another), report a stopped backend, and the about box. Each returns what the user chose.

import type { BrowserWindow, Dialog, MessageBoxOptions, OpenDialogOptions } from 'electron';
import type { HostFailure } from './host-messages.ts';

type DialogLike = Pick<Dialog, 'showOpenDialog' | 'showMessageBox' | 'showErrorBox'>;

function messageBox(dialog: DialogLike, window: BrowserWindow | null, options: MessageBoxOptions) {
  return window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options);
}

/** A .db file chosen by the user, or null. */
export async function pickWorkspaceFile(dialog: DialogLike, window: BrowserWindow | null, defaultPath?: string): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: 'Open a Tandem workspace',
    buttonLabel: 'Open',
    properties: ['openFile'],
    filters: [
      { name: 'Tandem workspace', extensions: ['db'] },
      { name: 'All files', extensions: ['*'] },
    ],
    ...(defaultPath ? { defaultPath } : {}),
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

/** Tells why `dbPath` cannot be opened; true when the user wants to pick another file. */
export async function offerAnotherWorkspace(dialog: DialogLike, window: BrowserWindow | null, dbPath: string, failure: HostFailure, giveUpLabel: 'Quit' | 'Cancel'): Promise<boolean> {
  const { response } = await messageBox(dialog, window, {
    type: 'error',
    title: 'Tandem',
    message: failure.kind === 'in-use' ? 'This workspace is open in another Tandem' : 'This workspace cannot be opened',
    detail: `${dbPath}\n\n${failure.error.message}\n\nThe file was left as it is.`,
    buttons: ['Open Another Workspace…', giveUpLabel],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
  });
  return response === 0;
}

/** After a crash of the API host: true to restart it, false to quit. */
export async function askRestartBackend(dialog: DialogLike, window: BrowserWindow | null, code: number): Promise<boolean> {
  const { response } = await messageBox(dialog, window, {
    type: 'error',
    title: 'Tandem',
    message: 'The Tandem backend stopped',
    detail: `Its process exited with code ${code}. Runs in progress were interrupted; Resume continues them from their last finished stage.`,
    buttons: ['Restart', 'Quit'],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
  });
  return response === 0;
}

export async function showAbout(dialog: DialogLike, window: BrowserWindow | null, details: { version: string; dbPath: string | null; versions: NodeJS.ProcessVersions }): Promise<void> {
  const { versions } = details;
  await messageBox(dialog, window, {
    type: 'info',
    title: 'About Tandem',
    message: `Tandem ${details.version}`,
    detail: [
      'Optimize LM programs by tuning prompts and weights together (BetterTogether).',
      '',
      `Workspace: ${details.dbPath ?? '(none)'}`,
      `Electron ${versions.electron ?? '?'} · Chromium ${versions.chrome ?? '?'} · Node ${versions.node}`,
    ].join('\n'),
    buttons: ['OK'],
  });
}
