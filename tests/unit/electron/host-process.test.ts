// The main process's handle on the API host, against a fake utility process: the failures of a
// host that never gets ready, a graceful stop, a kill when it does not end in time, and crash
// reports only for exits nobody asked for; the environment (with the API keys) given to the
// fork at each start, never the command line.

import { describe, expect, it } from 'vitest';
import { startHost, type HostDeps } from '../../../electron/host-process.ts';
import { FakeUtilityProcess } from './fake-electron.ts';

function deps(behave: (child: FakeUtilityProcess) => void, overrides: Partial<HostDeps> = {}) {
  const forks: FakeUtilityProcess[] = [];
  const value: HostDeps = {
    utilityProcess: {
      fork: (modulePath, args = [], options = {}) => {
        const child = new FakeUtilityProcess(modulePath, args, options);
        forks.push(child);
        setImmediate(() => behave(child));
        return child as never;
      },
    },
    MessageChannelMain: class {
      port1 = {} as never;
      port2 = {} as never;
    },
    hostFile: '/app/dist/electron/api-host.cjs',
    ...overrides,
  };
  return { deps: value, forks };
}

describe('startHost', () => {
  it('fails, and kills the process, when the host is not ready in time', async () => {
    const { deps: d, forks } = deps(() => {}, { readyTimeoutMs: 50 });
    const started = await startHost(d, '/w/t.db');
    expect(started).toEqual({ ok: false, failure: { kind: 'internal', error: { code: 'internal', message: 'the API process did not open /w/t.db within 0.05 s' } } });
    expect(forks[0]!.killed).toBe(true);
  });

  it('fails when the host exits before it is ready', async () => {
    const { deps: d } = deps((child) => child.emit('exit', 1));
    const started = await startHost(d, '/w/t.db');
    expect(started).toEqual({ ok: false, failure: { kind: 'internal', error: { code: 'internal', message: 'the API process exited with code 1 before it opened /w/t.db' } } });
  });

  it('stops gracefully, without reporting a crash', async () => {
    const { deps: d, forks } = deps((child) => child.emit('message', { type: 'ready', dbPath: '/w/t.db' }));
    const started = await startHost(d, '/w/t.db');
    if (!started.ok) throw new Error('expected ready');
    const crashes: number[] = [];
    started.host.onUnexpectedExit((code) => crashes.push(code));
    await Promise.all([started.host.stop(), started.host.stop()]);
    expect(forks[0]!.messages.map((m) => m.message)).toEqual([{ type: 'close' }]);
    expect(forks[0]!.killed).toBe(false);
    expect(crashes).toEqual([]);
  });

  it('kills a host that does not end in time after close', async () => {
    const { deps: d, forks } = deps((child) => {
      child.postMessage = (message: unknown) => void child.messages.push({ message, transfer: [] }); // ignores close
      child.emit('message', { type: 'ready', dbPath: '/w/t.db' });
    });
    const started = await startHost(d, '/w/t.db');
    if (!started.ok) throw new Error('expected ready');
    await started.host.stop(50);
    expect(forks[0]!.killed).toBe(true);
  });

  it('reports an exit nobody asked for', async () => {
    const { deps: d, forks } = deps((child) => child.emit('message', { type: 'ready', dbPath: '/w/t.db' }));
    const started = await startHost(d, '/w/t.db');
    if (!started.ok) throw new Error('expected ready');
    const crashes: number[] = [];
    started.host.onUnexpectedExit((code) => crashes.push(code));
    forks[0]!.emit('exit', 139);
    expect(crashes).toEqual([139]);
  });

  it('forks the host with the environment deps.env gives, asked afresh at each start', async () => {
    let key = 'sk-first';
    const { deps: d, forks } = deps((child) => child.emit('message', { type: 'ready', dbPath: '/w/t.db' }), { env: () => ({ PATH: '/usr/bin', OPENAI_API_KEY: key }) });
    await startHost(d, '/w/t.db');
    key = 'sk-second';
    await startHost(d, '/w/t.db');
    expect(forks.map((f) => f.options.env)).toEqual([
      { PATH: '/usr/bin', OPENAI_API_KEY: 'sk-first' },
      { PATH: '/usr/bin', OPENAI_API_KEY: 'sk-second' },
    ]);
    expect(forks.map((f) => f.args)).toEqual([
      ['--db', '/w/t.db'],
      ['--db', '/w/t.db'],
    ]);
  });

  it("leaves the environment to Electron's default when deps.env is not given", async () => {
    const { deps: d, forks } = deps((child) => child.emit('message', { type: 'ready', dbPath: '/w/t.db' }));
    await startHost(d, '/w/t.db');
    expect(forks[0]!.options).toEqual({ serviceName: 'Tandem API', stdio: 'inherit' });
  });
});
