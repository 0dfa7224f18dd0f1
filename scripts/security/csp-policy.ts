/**
 * Reads a Content-Security-Policy the way a browser does, for the one question the security
 * gate asks: can this page run script that is not the app's own bundled files? That is, does
 * the effective script policy allow only 'self' (or nothing), with no inline script (no
 * 'unsafe-inline', nonces or hashes), no eval, and no other origin, scheme or wildcard.
 */

export type Csp = ReadonlyMap<string, readonly string[]>;

export function parseCsp(policy: string): Csp {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    const key = name.toLowerCase();
    if (!directives.has(key)) directives.set(key, sources); // browsers ignore repeated directives
  }
  return directives;
}

/** The sources that govern a fetch directive, following CSP's fallback list. */
function effective(csp: Csp, chain: readonly string[]): { directive: string; sources: readonly string[] } | null {
  for (const directive of chain) {
    const sources = csp.get(directive);
    if (sources) return { directive, sources };
  }
  return null;
}

const ONLY_OWN_CODE = new Set(["'self'", "'none'"]);

/** Every way the policy lets script other than the app's own files run; empty when it forbids them all. */
export function scriptPolicyProblems(policy: string): string[] {
  const csp = parseCsp(policy);
  const problems: string[] = [];
  const chains: Array<[string, string[]]> = [
    ['script elements', ['script-src-elem', 'script-src', 'default-src']],
    ['inline event handlers', ['script-src-attr', 'script-src', 'default-src']],
    ['workers', ['worker-src', 'child-src', 'script-src', 'default-src']],
    ['plugins (object/embed)', ['object-src', 'default-src']],
  ];
  for (const [what, chain] of chains) {
    const found = effective(csp, chain);
    if (!found) {
      problems.push(`${what}: no ${chain.join(' / ')} directive, so anything is allowed`);
      continue;
    }
    const plugins = what.startsWith('plugins');
    for (const source of found.sources) {
      const lower = source.toLowerCase();
      if (plugins ? lower !== "'none'" : !ONLY_OWN_CODE.has(lower)) {
        problems.push(`${what}: ${found.directive} allows ${source}`);
      }
    }
    if (found.sources.length === 0) problems.push(`${what}: ${found.directive} is empty`);
  }
  // <base href> would re-point the page's relative script URLs at another origin.
  const base = csp.get('base-uri');
  if (!base || base.some((s) => !ONLY_OWN_CODE.has(s.toLowerCase()))) problems.push(`base-uri must be 'none' or 'self', got ${base ? base.join(' ') : 'nothing'}`);
  return problems;
}

/** The policy of a `<meta http-equiv="Content-Security-Policy">` in the page, if it has one. */
export function metaCsp(html: string): string | null {
  for (const [tag] of html.matchAll(/<meta\b[^>]*>/gi)) {
    if (!/http-equiv\s*=\s*["']?content-security-policy["']?/i.test(tag)) continue;
    const content = /\scontent\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag);
    if (content) return (content[1] ?? content[2] ?? '').replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  }
  return null;
}

/** Inline event-handler attributes (onclick=...) in markup: CSP blocks them, so the page must not rely on any. */
export function inlineHandlers(html: string): string[] {
  return [...html.matchAll(/<[a-z][^>]*\s(on[a-z]+)\s*=/gi)].map((m) => m[1]!.toLowerCase());
}
