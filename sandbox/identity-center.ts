/**
 * IAM Identity Center stand-in: the SSO OIDC API (RegisterClient, StartDeviceAuthorization,
 * CreateToken, plus the browser's /authorize page) and the SSO portal API (GetRoleCredentials,
 * ListAccounts, ListAccountRoles, Logout), in restJson1 exactly as @aws-sdk/client-sso-oidc and
 * @aws-sdk/client-sso speak it. Both are unsigned (OIDC authenticates with the client secret, the
 * portal with the x-amz-sso_bearer_token header), so the server routes them by path before SigV4.
 * Sign-ins are approved automatically unless a test says otherwise; role credentials are the
 * sandbox's own key pair, so a signed-in SSO profile can then call the sandbox's other services.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

export type ApprovalMode = 'auto' | 'manual' | 'deny';

export interface IcOutgoing {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

/** An error in the wire shape of the API addressed (OIDC: error + error_description; portal: message). */
class IcError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly oauthError?: string,
  ) {
    super(message);
  }
}

interface ClientRecord {
  secret: string;
  expiresAt: number;
  grantTypes: string[];
  redirectUris: string[];
  scopes: string[];
}
interface DeviceRecord {
  clientId: string;
  userCode: string;
  expiresAt: number;
  intervalMs: number;
  lastPollAt?: number;
  state: 'pending' | 'approved' | 'denied' | 'used';
}

const OIDC_ROUTES = new Set(['POST /client/register', 'POST /device_authorization', 'POST /token', 'GET /authorize', 'GET /device']);
const PORTAL_ROUTES = new Set(['GET /federation/credentials', 'GET /assignment/accounts', 'GET /assignment/roles', 'POST /logout']);
export const SANDBOX_ROLES = ['ImagingAdmin', 'ReadOnly'];
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export function identityCenterRoute(method: string, path: string): 'oidc' | 'portal' | null {
  const key = `${method} ${path}`;
  return OIDC_ROUTES.has(key) ? 'oidc' : PORTAL_ROUTES.has(key) ? 'portal' : null;
}

const token = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;
const json = (status: number, body: unknown, requestId: string): IcOutgoing => ({
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
  body: JSON.stringify(body),
});

/** RFC 8252 section 7.3: a loopback redirect matches a registered one whatever its port. */
function redirectAllowed(registered: string[], uri: string): boolean {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return false;
  }
  return registered.some((r) => {
    try {
      const g = new URL(r);
      return g.protocol === u.protocol && g.hostname === u.hostname && g.pathname === u.pathname && (g.hostname === '127.0.0.1' || g.port === u.port);
    } catch {
      return false;
    }
  });
}

export interface IdentityCenterOptions {
  now: () => number;
  url: () => string;
  region: string;
  accountId: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  accessTokenTtlMs?: number;
}

export class IdentityCenter {
  approval: ApprovalMode = 'auto';
  accessTokenTtlMs: number;
  private clients = new Map<string, ClientRecord>();
  private devices = new Map<string, DeviceRecord>();
  private codes = new Map<string, { clientId: string; redirectUri: string; challenge: string; expiresAt: number }>();
  private accessTokens = new Map<string, { expiresAt: number }>();
  private refreshTokens = new Map<string, { clientId: string }>();

  constructor(private readonly o: IdentityCenterOptions) {
    this.accessTokenTtlMs = o.accessTokenTtlMs ?? 8 * 3600_000;
  }

  /** Tests: approve or deny a pending device sign-in by its user code (what the user does in the browser). */
  decide(userCode: string, approve: boolean): void {
    const d = [...this.devices.values()].find((x) => x.userCode === userCode);
    if (!d) throw new Error(`no device sign-in with user code ${userCode}`);
    d.state = approve ? 'approved' : 'denied';
  }
  /** Tests: every access token expires now (refresh tokens stay valid). */
  expireAccessTokens(): void {
    for (const t of this.accessTokens.values()) t.expiresAt = this.o.now() - 1;
  }
  /** Tests: refresh tokens stop working, as when an administrator ends the session. */
  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  handle(method: string, path: string, query: Record<string, string | string[]>, headers: Record<string, string | string[] | undefined>, body: Buffer): IcOutgoing {
    const requestId = randomUUID();
    const kind = identityCenterRoute(method, path);
    try {
      if (kind === 'portal') return json(200, this.portal(path, query, headers), requestId);
      if (path === '/authorize') return this.authorize(query);
      if (path === '/device') return this.devicePage(query);
      let input: Record<string, unknown>;
      try {
        input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        throw new IcError('InvalidRequestException', 400, 'The request body is not valid JSON', 'invalid_request');
      }
      if (path === '/client/register') return json(200, this.register(input), requestId);
      if (path === '/device_authorization') return json(200, this.startDevice(input), requestId);
      return json(200, this.createToken(input), requestId);
    } catch (e) {
      if (!(e instanceof IcError)) throw e;
      const out = kind === 'oidc' ? { error: e.oauthError ?? 'invalid_request', error_description: e.message } : { message: e.message };
      const res = json(e.status, out, requestId);
      res.headers['x-amzn-errortype'] = e.code;
      return res;
    }
  }

  private str(input: Record<string, unknown>, field: string, required = true): string {
    const v = input[field];
    if (typeof v === 'string' && v.length > 0) return v;
    if (!required && v === undefined) return '';
    throw new IcError('InvalidRequestException', 400, `${field} is required and must be a non-empty string`, 'invalid_request');
  }

  private client(input: Record<string, unknown>): [string, ClientRecord] {
    const id = this.str(input, 'clientId');
    const c = this.clients.get(id);
    if (!c || c.secret !== this.str(input, 'clientSecret')) throw new IcError('InvalidClientException', 401, 'Invalid client credentials', 'invalid_client');
    if (c.expiresAt <= this.o.now()) throw new IcError('InvalidClientException', 401, 'The client registration has expired', 'invalid_client');
    return [id, c];
  }

  private register(input: Record<string, unknown>) {
    this.str(input, 'clientName');
    if (input['clientType'] !== 'public') throw new IcError('InvalidClientMetadataException', 400, "clientType must be 'public'", 'invalid_client_metadata');
    const list = (f: string) => (Array.isArray(input[f]) ? (input[f] as unknown[]).filter((x): x is string => typeof x === 'string') : []);
    const grantTypes = list('grantTypes');
    if (grantTypes.includes('authorization_code') && list('redirectUris').length === 0)
      throw new IcError('InvalidRedirectUriException', 400, 'redirectUris is required for the authorization_code grant', 'invalid_redirect_uri');
    const id = token('sbx-client-').slice(0, 40);
    const now = this.o.now();
    const expiresAt = now + 90 * 24 * 3600_000;
    this.clients.set(id, { secret: token('sbx-secret-'), expiresAt, grantTypes, redirectUris: list('redirectUris'), scopes: list('scopes') });
    const base = this.o.url();
    return {
      clientId: id,
      clientSecret: this.clients.get(id)!.secret,
      clientIdIssuedAt: Math.floor(now / 1000),
      clientSecretExpiresAt: Math.floor(expiresAt / 1000),
      authorizationEndpoint: `${base}/authorize`,
      tokenEndpoint: `${base}/token`,
    };
  }

  private startDevice(input: Record<string, unknown>) {
    const [clientId] = this.client(input);
    this.str(input, 'startUrl');
    const deviceCode = token('sbx-device-');
    const userCode = `${randomBytes(2).toString('hex').toUpperCase()}-${randomBytes(2).toString('hex').toUpperCase()}`;
    const expiresIn = 600;
    const state = this.approval === 'auto' ? 'approved' : 'pending';
    this.devices.set(deviceCode, { clientId, userCode, expiresAt: this.o.now() + expiresIn * 1000, intervalMs: 1000, state });
    const verificationUri = `${this.o.url()}/device`;
    return { deviceCode, userCode, verificationUri, verificationUriComplete: `${verificationUri}?user_code=${userCode}`, expiresIn, interval: 1 };
  }

  /** The page a user opens for the device flow: visiting it approves (manual mode) or denies (deny mode). */
  private devicePage(query: Record<string, string | string[]>): IcOutgoing {
    const code = String(query['user_code'] ?? '');
    const d = [...this.devices.values()].find((x) => x.userCode === code);
    if (d && d.state === 'pending') d.state = this.approval === 'deny' ? 'denied' : 'approved';
    const text = d ? `Request ${d.state === 'denied' ? 'denied' : 'approved'}. You can close this window.` : 'Unknown code.';
    return { status: d ? 200 : 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: `<!doctype html><title>Sandbox sign-in</title><p>${text}</p>` };
  }

  private authorize(q: Record<string, string | string[]>): IcOutgoing {
    const get = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : '');
    const client = this.clients.get(get('client_id'));
    const redirectUri = get('redirect_uri');
    const bad = (msg: string): IcOutgoing => ({ status: 400, headers: { 'content-type': 'text/plain' }, body: msg });
    if (!client) return bad('Unknown client_id');
    if (!redirectAllowed(client.redirectUris, redirectUri)) return bad('redirect_uri is not registered for this client');
    if (get('response_type') !== 'code') return bad("response_type must be 'code'");
    if (get('code_challenge_method') !== 'S256' || !get('code_challenge')) return bad('code_challenge with code_challenge_method=S256 is required');
    const target = new URL(redirectUri);
    if (get('state')) target.searchParams.set('state', get('state'));
    if (this.approval === 'deny') target.searchParams.set('error', 'access_denied');
    else {
      const code = token('sbx-code-');
      this.codes.set(code, { clientId: get('client_id'), redirectUri, challenge: get('code_challenge'), expiresAt: this.o.now() + 600_000 });
      target.searchParams.set('code', code);
    }
    return { status: 302, headers: { location: target.toString() } };
  }

  private issue(clientId: string) {
    const accessToken = token('sbx-access-');
    const refreshToken = token('sbx-refresh-');
    this.accessTokens.set(accessToken, { expiresAt: this.o.now() + this.accessTokenTtlMs });
    this.refreshTokens.set(refreshToken, { clientId });
    return { accessToken, tokenType: 'Bearer', expiresIn: Math.floor(this.accessTokenTtlMs / 1000), refreshToken };
  }

  private createToken(input: Record<string, unknown>) {
    const [clientId, client] = this.client(input);
    const grant = this.str(input, 'grantType');
    if (!client.grantTypes.includes(grant)) throw new IcError('UnauthorizedClientException', 400, `The client is not registered for the ${grant} grant`, 'unauthorized_client');
    const now = this.o.now();
    if (grant === DEVICE_GRANT) {
      const d = this.devices.get(this.str(input, 'deviceCode'));
      if (!d || d.clientId !== clientId || d.state === 'used') throw new IcError('InvalidGrantException', 400, 'Invalid device code provided', 'invalid_grant');
      if (d.expiresAt <= now) throw new IcError('ExpiredTokenException', 400, 'The device code has expired', 'expired_token');
      if (d.state === 'denied') throw new IcError('AccessDeniedException', 400, 'The user denied the sign-in request', 'access_denied');
      // RFC 8628 3.5: polling faster than the interval earns slow_down and a longer interval.
      const tooSoon = d.lastPollAt !== undefined && now - d.lastPollAt < d.intervalMs;
      d.lastPollAt = now;
      if (tooSoon) {
        d.intervalMs += 5000;
        throw new IcError('SlowDownException', 400, 'Client is polling too fast', 'slow_down');
      }
      if (d.state === 'pending') throw new IcError('AuthorizationPendingException', 400, 'Authorization is still pending', 'authorization_pending');
      d.state = 'used';
      return this.issue(clientId);
    }
    if (grant === 'authorization_code') {
      const code = this.str(input, 'code');
      const c = this.codes.get(code);
      this.codes.delete(code); // one use only, even when the exchange fails
      if (!c || c.clientId !== clientId || c.expiresAt <= now) throw new IcError('InvalidGrantException', 400, 'Invalid authorization code provided', 'invalid_grant');
      if (this.str(input, 'redirectUri') !== c.redirectUri) throw new IcError('InvalidGrantException', 400, 'redirectUri does not match the authorization request', 'invalid_grant');
      const verifier = this.str(input, 'codeVerifier');
      if (createHash('sha256').update(verifier).digest('base64url') !== c.challenge)
        throw new IcError('InvalidGrantException', 400, 'codeVerifier does not match the code challenge', 'invalid_grant');
      return this.issue(clientId);
    }
    if (grant === 'refresh_token') {
      const rt = this.str(input, 'refreshToken');
      const r = this.refreshTokens.get(rt);
      if (!r || r.clientId !== clientId) throw new IcError('InvalidGrantException', 400, 'Invalid refresh token provided', 'invalid_grant');
      this.refreshTokens.delete(rt); // rotated, as Identity Center does
      return this.issue(clientId);
    }
    throw new IcError('UnsupportedGrantTypeException', 400, `Unsupported grant type: ${grant}`, 'unsupported_grant_type');
  }

  private portal(path: string, q: Record<string, string | string[]>, headers: Record<string, string | string[] | undefined>) {
    const bearer = headers['x-amz-sso_bearer_token'];
    const t = typeof bearer === 'string' ? this.accessTokens.get(bearer) : undefined;
    if (!t || t.expiresAt <= this.o.now()) throw new IcError('UnauthorizedException', 401, 'Session token not found or invalid');
    const account = typeof q['account_id'] === 'string' ? q['account_id'] : '';
    if (path === '/logout') {
      this.accessTokens.delete(bearer as string);
      return {};
    }
    if (path === '/assignment/accounts')
      return { accountList: [{ accountId: this.o.accountId, accountName: 'HealthImaging sandbox', emailAddress: 'sandbox@example.com' }] };
    if (!account) throw new IcError('InvalidRequestException', 400, 'account_id is required');
    if (account !== this.o.accountId) throw new IcError('ResourceNotFoundException', 404, 'No access');
    if (path === '/assignment/roles') return { roleList: SANDBOX_ROLES.map((roleName) => ({ roleName, accountId: account })) };
    const role = typeof q['role_name'] === 'string' ? q['role_name'] : '';
    if (!SANDBOX_ROLES.includes(role)) throw new IcError('ForbiddenException', 403, 'No access');
    return {
      roleCredentials: {
        accessKeyId: this.o.credentials.accessKeyId,
        secretAccessKey: this.o.credentials.secretAccessKey,
        sessionToken: token('sbx-session-'),
        expiration: this.o.now() + 3600_000,
      },
    };
  }
}
