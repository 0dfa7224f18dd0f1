/** The outgoing guard: what it lets through untouched, what it redacts, what it withholds. */
import { describe, expect, it } from 'vitest';
import { LEAKY_SECRET, LEAKY_TOKEN } from '../testing/bad-signature-stand-in';
import { FAKE_ACCESS_KEY_ID } from '../testing/fake-aws-credentials';
import { createOutgoingGuard, guardText, guardValue, WITHHELD } from './outgoing';
import { assertNoSecrets } from './secrets-guard';

const LONG_NAME = 'RadiologyArchiveMainCampus2026Primary01x'; // 40 characters, mixed case and digits

describe('guardText (terminal output)', () => {
  it('leaves ordinary output exactly as it is, a 40-character data store name included', () => {
    const line = `[0:01.2] <- 200 ACTIVE datastoreName=${LONG_NAME} (312 ms, request r-1)\n`;
    expect(guardText(line, [LEAKY_SECRET, LEAKY_TOKEN])).toBe(line);
  });

  it('always applies the marker rules: canonical requests, Authorization, key ids', () => {
    const text = `AWS did not accept the credentials (SignatureDoesNotMatch: bad. The Canonical String for this request should have been 'POST\n/\nx-amz-security-token:${LEAKY_TOKEN}')\nAuthorization: AWS4-HMAC-SHA256 Credential=${FAKE_ACCESS_KEY_ID}/x, Signature=${'a1'.repeat(32)}\n`;
    const out = guardText(text);
    expect(out).toContain('SignatureDoesNotMatch');
    expect(() => assertNoSecrets(out, [LEAKY_TOKEN, FAKE_ACCESS_KEY_ID, 'a1'.repeat(32)])).not.toThrow();
  });

  it('withholds a line holding a slice of a known secret that no rule recognises', () => {
    const slice = LEAKY_SECRET.slice(2, 34); // 32 characters: the guard catches any slice of 31 or more
    expect(guardText(`value ${slice}\n`)).toBe(`value ${slice}\n`); // unknown: nothing to go on
    expect(guardText(`value ${slice}\n`, [LEAKY_SECRET])).toBe(`${WITHHELD}\n`);
  });

  it('a bare known token is redacted by shape first, keeping the rest of the line', () => {
    const out = guardText(`token ${LEAKY_TOKEN} seen`, [LEAKY_TOKEN]);
    expect(out).toMatch(/^token \[redacted\] seen$/);
  });
});

describe('guardValue (files, the window)', () => {
  it('keeps structure and clean strings, withholds only the string that leaks', () => {
    const value = { runId: 'r-1', datastoreName: LONG_NAME, list: [1, 'ok', { deep: `x ${LEAKY_TOKEN.slice(10, 40)}` }], n: null, b: true };
    expect(guardValue(value, [LEAKY_TOKEN])).toEqual({ ...value, list: [1, 'ok', { deep: WITHHELD }] });
    expect(guardValue(value)).toEqual(value);
  });
});

describe('createOutgoingGuard', () => {
  it('a guard asks its sources at every check; a failing source adds nothing', () => {
    const guard = createOutgoingGuard();
    let current: string[] = [];
    guard.addSecrets(() => current);
    guard.addSecrets(() => {
      throw new Error('session closed');
    });
    expect(guard.text(LEAKY_SECRET.slice(0, 30))).toBe(LEAKY_SECRET.slice(0, 30));
    current = [LEAKY_SECRET];
    expect(guard.text(LEAKY_SECRET.slice(0, 30))).toBe(WITHHELD);
    expect(guard.secrets()).toEqual([LEAKY_SECRET]);
  });
});
