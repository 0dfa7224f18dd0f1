import { mkdtempSync, writeFileSync } from 'node:fs';
import { FAKE_ACCESS_KEY_ID } from '../../core/testing/fake-aws-credentials';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../../contract/ipc';
import { createEventBatcher } from '../main/event-batcher';
import { vetAwsLink as vetExternalUrl } from '../../core/healthimaging/console-links';
import { safeErrorMessage } from '../main/redact';
import { redactText } from '../../core/redaction/redact';
import { DEFAULT_WINDOW_STATE, loadWindowState, saveWindowState } from '../main/window-state';

describe('external URL vetting', () => {
  it('allows https AWS console and documentation pages only', () => {
    for (const url of [
      'https://console.aws.amazon.com/medical-imaging/home?region=us-east-1#/data-stores/abc',
      'https://us-west-2.console.aws.amazon.com/medical-imaging/home',
      'https://docs.aws.amazon.com/healthimaging/latest/devguide/what-is.html',
      'https://aws.amazon.com/healthimaging/',
    ]) expect(vetExternalUrl(url)).toEqual({ ok: true, url });
    for (const url of [
      'http://console.aws.amazon.com/',
      'https://console.aws.amazon.com.evil.example/',
      'https://evilconsole.aws.amazon.com.example/',
      'https://evil.example/?https://docs.aws.amazon.com/',
      'https://user:pass@docs.aws.amazon.com/',
      'https://docs.aws.amazon.com:8443/',
      'https://s3.amazonaws.com/bucket',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'app://bundle/index.html',
      'not a url',
      42,
    ]) expect(vetExternalUrl(url).ok).toBe(false);
  });
});

describe('redaction', () => {
  it('removes keys, secrets, tokens and signatures, and the stack', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const token = 'IQoJb3JpZ2luX2VjE' + 'A'.repeat(200);
    const err = new Error(`failed ${FAKE_ACCESS_KEY_ID} ${secret} X-Amz-Signature=abcdef0123456789abcdef token=${token}`);
    const msg = safeErrorMessage(err);
    expect(msg).not.toMatch(/wJalrXUtnFEMI|abcdef0123456789abcdef|IQoJb3JpZ2lu/);
    expect(msg).not.toContain(FAKE_ACCESS_KEY_ID);
    expect(msg).not.toContain('    at ');
    expect(redactText('datastore 0123456789abcdef0123456789abcdef is ACTIVE')).toBe('datastore 0123456789abcdef0123456789abcdef is ACTIVE');
    expect(safeErrorMessage(undefined)).toMatch(/Unexpected error/);
  });
});

describe('event batcher', () => {
  it('delivers bursts as one batch per run per interval, in order', async () => {
    vi.useFakeTimers();
    const deliver = vi.fn();
    const batcher = createEventBatcher(deliver, 50);
    const ev = (runId: string, seq: number) => ({ runId, seq, at: '', type: 'step-started', stepId: 's', operationId: 'o' }) as RunEvent;
    for (let i = 1; i <= 1000; i++) batcher.add(ev('a', i));
    batcher.add(ev('b', 1));
    expect(deliver).not.toHaveBeenCalled();
    vi.advanceTimersByTime(50);
    expect(deliver).toHaveBeenCalledTimes(2);
    expect(deliver.mock.calls[0]![1].map((e: RunEvent) => e.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    batcher.add(ev('a', 1001));
    batcher.flush();
    expect(deliver).toHaveBeenCalledTimes(3);
    vi.useRealTimers();
  });
});

describe('window state', () => {
  it('round-trips, and falls back for corrupt or off-screen state', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ws-'));
    const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(loadWindowState(dir, screens)).toEqual(DEFAULT_WINDOW_STATE);
    saveWindowState(dir, { width: 1000, height: 700, x: 100, y: 100, maximized: true });
    expect(loadWindowState(dir, screens)).toEqual({ width: 1000, height: 700, x: 100, y: 100, maximized: true });
    saveWindowState(dir, { width: 10, height: 10, x: 5000, y: 5000, maximized: false });
    expect(loadWindowState(dir, screens)).toEqual({ width: 800, height: 600, maximized: false });
    writeFileSync(path.join(dir, 'window-state.json'), '{not json');
    expect(loadWindowState(dir, screens)).toEqual(DEFAULT_WINDOW_STATE);
  });
});
