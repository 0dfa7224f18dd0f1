/**
 * Reads Chromium's proxy answer for a URL (Electron session.resolveProxy, PAC format:
 * "PROXY proxy:3128; DIRECT") into a proxy URL our Node agents can use, or undefined for direct.
 * The first usable entry wins, as Chromium would try it first. SOCKS entries are skipped: the
 * agents here speak HTTP CONNECT only, and a later PROXY/DIRECT entry is the fallback.
 */
export function proxyFromPacResult(result: string): string | undefined {
  for (const raw of result.split(';')) {
    const [kind, hostPort] = raw.trim().split(/\s+/, 2);
    const k = (kind ?? '').toUpperCase();
    if (k === 'DIRECT') return undefined;
    if ((k === 'PROXY' || k === 'HTTP') && hostPort) return `http://${hostPort}`;
    if (k === 'HTTPS' && hostPort) return `https://${hostPort}`;
  }
  return undefined;
}
