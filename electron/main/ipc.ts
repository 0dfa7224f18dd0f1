/**
 * The IPC manager: the only place that talks to ipcMain. One handler per command of the contract;
 * each checks that the sender is the app's own window, validates the payload against the command's
 * schema, calls the main-side handler, and turns any failure into a plain Error whose message is
 * redacted and carries no stack. Pushes go only to the app's window. Everything the window gets
 * (results, pushes, error messages) passes the outgoing leak guard (core/redaction/outgoing).
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { COMMAND_NAMES, type CommandName, type PushName, type Pushes } from '../../contract/ipc';
import { InvalidRequestError, parseRequest } from '../../contract/schemas';
import type { Handlers } from './handlers';
import { safeErrorMessage } from './redact';
import { createOutgoingGuard, type OutgoingGuard } from '../../core/redaction/outgoing';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

export interface IpcManager {
  /** Sends a push to the app's window when there is one; never to any other web contents. */
  push<P extends PushName>(push: P, payload: Pushes[P]): void;
  dispose(): void;
}

export interface IpcOptions {
  handlers: Pick<Handlers, CommandName>;
  /** The app's window's web contents, or undefined when it is closed. */
  appContents: () => WebContents | undefined;
  isAppUrl: (url: string) => boolean;
  log?: (message: string) => void;
  /** Checks what leaves for the window; handlers add their sessions' secrets. Default: markers only. */
  guard?: Pick<OutgoingGuard, 'text' | 'value'>;
}

/** A sender is trusted when it is the app window's main frame showing an app URL. */
export function createSenderCheck(appContents: () => WebContents | undefined, isAppUrl: (url: string) => boolean): SenderCheck {
  return (event) => {
    const contents = appContents();
    if (!contents || contents.isDestroyed() || event.sender !== contents) return false;
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    return isAppUrl(frame.url);
  };
}

export function setupIpc({ handlers, appContents, isAppUrl, log = (m) => console.error(m), guard = createOutgoingGuard() }: IpcOptions): IpcManager {
  const isTrusted = createSenderCheck(appContents, isAppUrl);

  for (const command of COMMAND_NAMES) {
    ipcMain.removeHandler(command);
    ipcMain.handle(command, async (event, ...args: unknown[]) => {
      if (!isTrusted(event)) {
        log(`[ipc] refused '${command}' from a sender that is not the app window`);
        throw new Error(`Refused '${command}': the sender is not the app's window.`);
      }
      if (args.length > 1) throw new Error(`Invalid request for '${command}': expected one argument, got ${args.length}.`);
      let request;
      try {
        request = parseRequest(command, args[0]);
      } catch (error) {
        if (error instanceof InvalidRequestError) throw new Error(error.message);
        throw new Error(`Invalid request for '${command}'.`);
      }
      try {
        // The union of requests is narrowed per command by the loop variable; the schema checked it.
        const result = await (handlers[command] as (req: unknown) => Promise<unknown>)(request);
        return guard.value(result);
      } catch (error) {
        const message = guard.text(safeErrorMessage(error));
        log(`[ipc] '${command}' failed: ${message}`);
        throw new Error(message);
      }
    });
  }

  return {
    push(push, payload) {
      const contents = appContents();
      if (!contents || contents.isDestroyed()) return;
      if (!isAppUrl(contents.getURL())) return;
      contents.send(push, guard.value(payload));
    },
    dispose() {
      for (const command of COMMAND_NAMES) ipcMain.removeHandler(command);
    },
  };
}
