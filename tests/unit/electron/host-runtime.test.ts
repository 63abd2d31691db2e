// The API host's life with a fake parent port and real SQLite files: 'ready' on a good
// workspace, a clear failure (and an untouched file) on a corrupt or foreign one or one another
// Tandem holds, ports served and replaced, and a clean close.

import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApi } from '../../../core/api/index.ts';
import { lockWorkspace } from '../../../core/host/workspace-lock.ts';
import { classifyHostFailure, type HostToMain } from '../../../electron/host-messages.ts';
import { runHost, type HostOptions } from '../../../electron/host-runtime.ts';
import type { MainPortLike } from '../../../electron/port-protocol.ts';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-host-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Electron's MessagePortMain, played by one end of a Node MessageChannel. */
function mainPort(port: MessagePort): MainPortLike {
  const events = new EventEmitter();
  port.onmessage = (event: MessageEvent) => events.emit('message', { data: event.data });
  const self: MainPortLike = {
    postMessage: (message) => port.postMessage(message),
    on: (event: string, listener: (...args: never[]) => void) => {
      events.on(event, listener as (...args: unknown[]) => void);
      return self;
    },
    start: () => {},
    close: () => {
      port.close();
      events.emit('close');
    },
  };
  return self;
}

function fakeParent() {
  const events = new EventEmitter();
  const posted: HostToMain[] = [];
  const exits: number[] = [];
  const parentPort: HostOptions['parentPort'] = {
    on: (event, listener) => events.on(event, listener),
    postMessage: (message) => posted.push(message),
  };
  return {
    parentPort,
    posted,
    exits,
    /** Sends a message from main, as utilityProcess.postMessage does. */
    send: (data: unknown, ports: MainPortLike[] = []) => events.emit('message', { data, ports }),
    options: (dbPath: string): HostOptions => ({
      parentPort,
      dbPath,
      openApi: (db) => createApi({ dbPath: db, env: {}, hasDemoModel: () => false, embeddedModelsDir: null }),
      exit: (code) => exits.push(code),
    }),
  };
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Sends one request on the renderer's end of a port and waits for its response. */
function request(port: MessagePort, message: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    port.onmessage = (event: MessageEvent) => {
      if ((event.data as { id?: unknown }).id !== undefined) resolve(event.data);
    };
    port.postMessage(message);
  });
}

describe('runHost', () => {
  it('opens the workspace, says ready, serves the port it is given and closes cleanly', async () => {
    const dbPath = path.join(dir, 'nested', 'tandem.db');
    const parent = fakeParent();
    const host = runHost(parent.options(dbPath));
    expect(host.failure).toBeNull();
    expect(parent.posted).toEqual([{ type: 'ready', dbPath }]);
    expect(existsSync(`${dbPath}.serve.lock`)).toBe(true);

    const first = new MessageChannel();
    parent.send({ type: 'connect' }, [mainPort(first.port2)]);
    expect(await request(first.port1, { id: 1, method: 'listExperiments', input: {} })).toEqual({ id: 1, ok: true, result: [] });
    expect(await request(first.port1, { id: 2, method: 'nope', input: {} })).toMatchObject({ id: 2, ok: false, error: { code: 'not-found' } });

    // A reloaded window gets a new port; the old one is closed.
    const firstClosed = new Promise<void>((resolve) => first.port1.addEventListener('close', () => resolve()));
    const second = new MessageChannel();
    parent.send({ type: 'connect' }, [mainPort(second.port2)]);
    await firstClosed;
    expect(await request(second.port1, { id: 1, method: 'listTasks' })).toMatchObject({ id: 1, ok: true });

    parent.send({ type: 'close' });
    await until(() => parent.exits.length > 0);
    expect(parent.exits).toEqual([0]);
    expect(parent.posted.at(-1)).toEqual({ type: 'closed' });
    expect(existsSync(`${dbPath}.serve.lock`)).toBe(false);
    await expect(host.api!.listTasks()).rejects.toMatchObject({ code: 'conflict' }); // closed
    second.port1.close();
  });

  it('reports a file that is not a database, and leaves it as it was', async () => {
    const dbPath = path.join(dir, 'notes.db');
    const bytes = Buffer.from('these are my notes, not a database\n'.repeat(300));
    writeFileSync(dbPath, bytes);
    const parent = fakeParent();
    const host = runHost(parent.options(dbPath));
    expect(host.api).toBeNull();
    expect(parent.posted).toHaveLength(1);
    const [message] = parent.posted;
    expect(message).toMatchObject({ type: 'failed', failure: { kind: 'database', error: { code: 'database' } } });
    expect((message as { failure: { error: { message: string } } }).failure.error.message).toMatch(/not a SQLite database/);
    expect(readFileSync(dbPath).equals(bytes)).toBe(true);
    expect(existsSync(`${dbPath}.serve.lock`)).toBe(false);

    // A port handed to a failed host is closed, not served; 'close' still ends it.
    const channel = new MessageChannel();
    const closed = new Promise<void>((resolve) => channel.port1.addEventListener('close', () => resolve()));
    parent.send({ type: 'connect' }, [mainPort(channel.port2)]);
    await closed;
    parent.send({ type: 'close' });
    await until(() => parent.exits.length > 0);
    expect(parent.posted.at(-1)).toEqual({ type: 'closed' });
  });

  it("reports another application's SQLite database without touching its tables", () => {
    const dbPath = path.join(dir, 'other.db');
    const other = new Database(dbPath);
    other.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices (total) VALUES (12.5), (99);");
    other.close();
    const parent = fakeParent();
    runHost(parent.options(dbPath));
    expect(parent.posted[0]).toMatchObject({ type: 'failed', failure: { kind: 'database', error: { code: 'database' } } });
    const reopened = new Database(dbPath, { readonly: true });
    expect(reopened.prepare('SELECT total FROM invoices ORDER BY id').all()).toEqual([{ total: 12.5 }, { total: 99 }]);
    expect(reopened.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([{ name: 'invoices' }]);
    reopened.close();
  });

  it('reports a workspace another Tandem holds as in use', () => {
    const dbPath = path.join(dir, 'tandem.db');
    // The lock file names a live process (this one), so to the host the workspace is taken.
    const lock = lockWorkspace(dbPath);
    try {
      const parent = fakeParent();
      runHost(parent.options(dbPath));
      expect(parent.posted[0]).toMatchObject({ type: 'failed', failure: { kind: 'in-use', error: { code: 'conflict' } } });
      expect(existsSync(dbPath)).toBe(false);
    } finally {
      lock.release();
    }
  });
});

describe('classifyHostFailure', () => {
  it('tells a better-sqlite3 built for another ABI apart from a bad database, and says how to rebuild', () => {
    const failure = classifyHostFailure({
      code: 'database',
      message:
        "cannot open database /x/tandem.db (The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 140.)",
    });
    expect(failure.kind).toBe('native-module');
    expect(failure.error.message).toMatch(/npx @electron\/rebuild -o better-sqlite3/);
    expect(classifyHostFailure({ code: 'database', message: 'x is not a SQLite database' }).kind).toBe('database');
    expect(classifyHostFailure({ code: 'internal', message: 'boom' }).kind).toBe('internal');
  });
});
