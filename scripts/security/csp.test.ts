// The page may run only the app's own bundled script files: no inline script, no eval, no other
// origin. Checked on the policy the main process sends with every response (CONTENT_SECURITY_POLICY)
// and on any policy the built page carries itself, plus the built markup (no inline script or
// handlers that the policy would have to allow).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/csp';
import { readStartAssets } from '../bundle-size.mjs';
import { BUILT, PROJECT_ROOT, ensureBuilt } from '../lib/ensure-built';
import { inlineHandlers, metaCsp, scriptPolicyProblems } from './csp-policy';

describe('scriptPolicyProblems', () => {
  const strict = "default-src 'none'; script-src 'self'; object-src 'none'; base-uri 'none'";

  it('accepts a policy that allows only the app\'s own script files', () => {
    expect(scriptPolicyProblems(strict)).toEqual([]);
    expect(scriptPolicyProblems("default-src 'self'; object-src 'none'; base-uri 'self'")).toEqual([]);
  });

  it.each([
    ['inline script', "default-src 'none'; script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'", "allows 'unsafe-inline'"],
    ['eval', "default-src 'none'; script-src 'self' 'unsafe-eval'; object-src 'none'; base-uri 'none'", "allows 'unsafe-eval'"],
    ['a remote origin', "default-src 'none'; script-src 'self' https://cdn.example.com; object-src 'none'; base-uri 'none'", 'allows https://cdn.example.com'],
    ['a scheme', "default-src 'none'; script-src 'self' https:; object-src 'none'; base-uri 'none'", 'allows https:'],
    ['data: URLs', "default-src 'none'; script-src 'self' data:; object-src 'none'; base-uri 'none'", 'allows data:'],
    ['a wildcard default', "default-src *; object-src 'none'; base-uri 'none'", 'default-src allows *'],
    ['a nonce (inline script)', "default-src 'none'; script-src 'self' 'nonce-abc'; object-src 'none'; base-uri 'none'", "allows 'nonce-abc'"],
    ['a hash (inline script)', "default-src 'none'; script-src 'self' 'sha256-abc='; object-src 'none'; base-uri 'none'", "allows 'sha256-abc='"],
    ['a looser script-src-elem', `${strict}; script-src-elem 'self' https://x.example`, 'script-src-elem allows https://x.example'],
    ['inline handlers via script-src-attr', `${strict}; script-src-attr 'unsafe-inline'`, "script-src-attr allows 'unsafe-inline'"],
    ['no script policy at all', "style-src 'self'; object-src 'none'; base-uri 'none'", 'so anything is allowed'],
    ['plugins', "default-src 'self'; base-uri 'none'", "plugins (object/embed): default-src allows 'self'"],
    ['an open <base>', "default-src 'self'; object-src 'none'", 'base-uri'],
  ])('rejects %s', (_what, policy, expected) => {
    expect(scriptPolicyProblems(policy).join('\n')).toContain(expected);
  });

  it('reads a meta policy and inline handlers from markup', () => {
    expect(metaCsp(`<meta http-equiv="Content-Security-Policy" content="script-src &#39;self&#39;">`)).toBe("script-src 'self'");
    expect(metaCsp('<meta charset="utf-8">')).toBeNull();
    expect(inlineHandlers('<body onload="x()"><img src=a onerror=y>')).toEqual(['onload', 'onerror']);
  });
});

describe('the app\'s CSP', () => {
  it('the policy the main process sends forbids remote, inline and eval script', () => {
    expect(scriptPolicyProblems(CONTENT_SECURITY_POLICY)).toEqual([]);
  });

  describe('built page (out/renderer/index.html)', () => {
    let html = '';
    beforeAll(async () => {
      await ensureBuilt();
      html = readFileSync(path.join(PROJECT_ROOT, BUILT.rendererHtml), 'utf8');
    }, 300_000);

    it('carries no policy of its own that is weaker than the one main sends', () => {
      const meta = metaCsp(html);
      if (meta !== null) expect(scriptPolicyProblems(meta)).toEqual([]);
    });

    it('loads only its own script files: no inline script, no handlers, no remote src', () => {
      const assets = readStartAssets(html);
      expect(assets.inlineScripts).toEqual([]);
      expect(inlineHandlers(html)).toEqual([]);
      expect(assets.scripts.length).toBeGreaterThan(0);
      for (const src of [...assets.scripts, ...assets.preloads]) expect(src).toMatch(/^\.?\/?[\w./-]+\.m?js$/);
    });
  });
});
