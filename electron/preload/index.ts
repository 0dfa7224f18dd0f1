/**
 * The preload: exposes exactly one task-specific object, `window.onboarding`, implementing the
 * contract's OnboardingApi. Only the contract's command and push names pass; listeners never see
 * the IPC event (so never `event.sender`); each subscription returns its unsubscribe. Requires
 * nothing but 'electron' (bundled fully so the window can stay sandboxed).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_KEY, COMMAND_NAMES, PUSH_NAMES, type CommandName, type OnboardingApi, type PushName } from '../../contract/ipc';

const commands: ReadonlySet<string> = new Set(COMMAND_NAMES);
const pushes: ReadonlySet<string> = new Set(PUSH_NAMES);

/** Electron wraps handler errors as "Error invoking remote method 'x': Error: msg"; the page gets "msg". */
export function plainMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  return raw.replace(/^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/, '');
}

export const onboardingApi = {
  invoke(command, request) {
    if (!commands.has(command)) return Promise.reject(new Error(`Unknown command: ${String(command)}`));
    return ipcRenderer.invoke(command as CommandName, request).catch((error: unknown) => {
      throw new Error(plainMessage(error));
    });
  },
  on(push, listener) {
    if (!pushes.has(push) || typeof listener !== 'function') throw new Error(`Unknown push: ${String(push)}`);
    const forward = (_event: IpcRendererEvent, payload: unknown) => (listener as (p: unknown) => void)(payload);
    ipcRenderer.on(push as PushName, forward);
    return () => {
      ipcRenderer.removeListener(push as PushName, forward);
    };
  },
} satisfies OnboardingApi;

contextBridge.exposeInMainWorld(API_KEY, onboardingApi);
