import * as electron from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { API_KEY, type OnboardingApi } from '../../contract/ipc';
import type { FakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const fake = electron as unknown as FakeElectron;

await import('../preload/index');
const api = fake.contextBridge.exposed[API_KEY] as OnboardingApi;

describe('preload', () => {
  it('exposes one object, window.onboarding, with invoke and on only', () => {
    expect(fake.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(Object.keys(fake.contextBridge.exposed)).toEqual(['onboarding']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
  });

  it('invokes only contract commands', async () => {
    fake.ipcRenderer.invoke.mockResolvedValueOnce([{ name: '__sandbox__' }]);
    await expect(api.invoke('profiles:list', undefined)).resolves.toEqual([{ name: '__sandbox__' }]);
    expect(fake.ipcRenderer.invoke).toHaveBeenCalledWith('profiles:list', undefined);
    await expect(api.invoke('shell:exec' as never, {} as never)).rejects.toThrow(/Unknown command/);
    expect(fake.ipcRenderer.invoke).toHaveBeenCalledTimes(1);
  });

  it('gives the page the handler’s message without Electron’s wrapper', async () => {
    fake.ipcRenderer.invoke.mockRejectedValueOnce(new Error("Error invoking remote method 'run:start': Error: Invalid request for 'run:start': inputs.datastoreName: bad"));
    await expect(api.invoke('run:start', {} as never)).rejects.toThrow(/^Invalid request for 'run:start': inputs\.datastoreName: bad$/);
  });

  it('subscribes only to contract pushes; listeners never see the IPC event; unsubscribe works', () => {
    const listener = vi.fn();
    const off = api.on('run:events', listener);
    const payload = { runId: 'r', events: [] };
    fake.ipcRenderer.emit('run:events', { sender: 'SECRET-SENDER' }, payload);
    expect(listener).toHaveBeenCalledWith(payload);
    expect(listener.mock.calls[0]).toHaveLength(1);
    off();
    fake.ipcRenderer.emit('run:events', {}, payload);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(fake.ipcRenderer.listenerCount('run:events')).toBe(0);
    expect(() => api.on('ipc:anything' as never, listener)).toThrow(/Unknown push/);
  });
});
