/**
 * The identity check's result is returned, not thrown, so the IPC error filter never sees it: it
 * must be clean at the source. A profile signs with a known secret and session token; a local
 * stand-in answers STS with SignatureDoesNotMatch quoting the canonical request (token included).
 * The result the handler returns, and what the window gets through the IPC manager, hold neither
 * the token, the secret, the key id nor the signature. The IPC manager's guard also knows the
 * session's secrets, so even a slice of one that no redaction rule recognises is withheld.
 */
import * as electron from 'electron';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOutgoingGuard, WITHHELD } from '../../core/redaction/outgoing';
import { assertNoSecrets } from '../../core/redaction/secrets-guard';
import { leakyProfile, LEAKY_SECRET, LEAKY_TOKEN, startBadSignatureStandIn, type BadSignatureStandIn } from '../../core/testing/bad-signature-stand-in';
import { createHandlers, type Handlers } from '../main/handlers';
import { setupIpc, type IpcManager } from '../main/ipc';
import { FakeWebContents, ipcEvent, type FakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const fake = electron as unknown as FakeElectron;

const target = { profile: 'leaky', region: 'us-east-1' };

describe('identity:check against a bad-signature answer quoting the session token', () => {
  let dir: string;
  let standIn: BadSignatureStandIn;
  let handlers: Handlers;
  let ipc: IpcManager;
  const app = new FakeWebContents();
  const guard = createOutgoingGuard();

  beforeAll(async () => {
    standIn = await startBadSignatureStandIn('refuse');
    dir = mkdtempSync(path.join(tmpdir(), 'identity-leak-'));
    const p = leakyProfile(target.profile);
    writeFileSync(path.join(dir, 'config'), p.config);
    writeFileSync(path.join(dir, 'credentials'), p.credentials);
    handlers = createHandlers({
      guard,
      runsDir: path.join(dir, 'runs'),
      userDataDir: dir,
      env: {
        AWS_CONFIG_FILE: path.join(dir, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
        AWS_ENDPOINT_URL_STS: standIn.url,
        AWS_ENDPOINT_URL_MEDICAL_IMAGING: standIn.url,
        AWS_ENDPOINT_URL_S3: standIn.url,
      },
      dialogs: { saveReport: async () => undefined },
      openExternal: async () => undefined,
      printToPdf: async () => Buffer.from(''),
      push: (name, payload) => ipc.push(name, payload),
    });
    ipc = setupIpc({ handlers, appContents: () => app as never, isAppUrl: () => true, log: () => undefined, guard });
  });
  afterAll(async () => {
    ipc.dispose();
    await handlers.dispose();
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const expectClean = (what: string, text: string) => {
    expect(() => assertNoSecrets(text, standIn.secrets()), what).not.toThrow();
    expect(text, what).not.toMatch(/x-amz-security-token/i);
  };

  it('the result the handler returns is redacted at the source', async () => {
    const result = await handlers['identity:check'](target);
    expect(standIn.signatures.length).toBeGreaterThan(0);
    expect(result).toMatchObject({ ok: false, reason: 'no-credentials', error: { code: 'SignatureDoesNotMatch', httpStatus: 403 } });
    if (!result.ok) expect(result.error.message).toMatch(/did not accept the credentials from profile "leaky"/);
    expectClean('identity result', JSON.stringify(result));
  });

  it('what the window gets through the IPC manager is clean too, and the guard knows the session secrets', async () => {
    const result = await fake.ipcMain.invoke('identity:check', ipcEvent(app), target);
    expectClean('identity result over IPC', JSON.stringify(result));
    expect(result).toMatchObject({ ok: false, error: { code: 'SignatureDoesNotMatch' } });
    // The session the check opened registered what it signs with.
    expect(guard.secrets()).toEqual(expect.arrayContaining([LEAKY_SECRET, LEAKY_TOKEN]));
  });

  it('a slice of a known secret that no redaction rule recognises never reaches the window', () => {
    const slice = LEAKY_TOKEN.slice(20, 52); // 32 characters, no marker, too short for the shape rules
    ipc.push('run:events', { runId: 'r', events: [{ note: `quoted ${slice}` }] } as never);
    const sent = app.sent.at(-1)!;
    expect(JSON.stringify(sent.payload)).not.toContain(slice);
    expect(sent.payload).toEqual({ runId: 'r', events: [{ note: WITHHELD }] });
  });
});
