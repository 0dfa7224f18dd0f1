/**
 * The HTTP front door: one port for all its services. The SigV4 credential scope says which
 * service a request is for (medical-imaging, s3, sts, iam, kms); unsigned requests are attributed by shape.
 * Every request: check Host, authenticate as far as possible without the body, read the body
 * (bounded), finish the signature checks, apply faults, run the operation, answer in that
 * service's protocol, log one line. Nothing a client sends can crash the process, and nothing an
 * unauthenticated client uploads is read.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkCredentialScope, checkDeclaredHash, checkSignature, isStreamingPayload, s3DeclaredPayload } from './authenticate';
import { BucketRegions } from './bucket-regions';
import type { SandboxCore } from './core';
import { ApiError, faultError, hostRefused, signingRegionOf, type ServiceName } from './errors';
import { IAM_ACTIONS, IAM_NS, IamApi } from './iam-api';
import { handleKms, kmsAction } from './kms-api';
import type { Principals } from './principals';
import type { HostCheck } from './host-check';
import { matchRoute, MedicalImagingApi } from './medical-imaging';
import { BodyTooLarge, ClientAborted, declaredLength, endWithoutBody, hasBody, readBody } from './request-body';
import { decodeAwsChunked, matchS3Route, S3Api, s3ErrorXml } from './s3-api';
import { parseAuthorization, parseQuery } from './sigv4';
import { handleSts, stsAction, stsErrorXml } from './sts-api';
import { identityCenterRoute, type IdentityCenter } from './identity-center';

const MAX_API_BODY = 1024 * 1024; // 1 MiB for the JSON and form APIs
const MAX_S3_BODY = 256 * 1024 * 1024;
const NO_BODY = new Uint8Array(0);

export interface ServerContext {
  core: SandboxCore;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The Host values the sandbox answers to; anything else is refused before routing. */
  hosts: HostCheck;
  log?: (line: string) => void;
  /** SSO OIDC + SSO portal stand-in; unsigned, so it is routed by path before SigV4. */
  identityCenter?: IdentityCenter;
  /** Every key pair the sandbox accepts and whose user it is (its own plus test users). */
  principals?: Principals;
}

interface Outgoing {
  status: number;
  headers: Record<string, string>;
  body?: Buffer | string;
}

function decodeSegments(rawPath: string): string[] | null {
  try {
    return rawPath.split('/').filter((s, i, all) => s !== '' || (i > 0 && i < all.length - 1)).map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

/** Which service an unsigned request meant: STS looks like a form post with Action, HealthImaging has known routes. */
function guessService(req: IncomingMessage, rawPath: string, query: Record<string, string | string[]>): ServiceName {
  const ct = String(req.headers['content-type'] ?? '');
  if (String(req.headers['x-amz-target'] ?? '').startsWith('TrentService.')) return 'kms';
  const action = query['Action'];
  if (typeof action === 'string' && (IAM_ACTIONS as readonly string[]).includes(action)) return 'iam';
  if ((rawPath === '/' && req.method === 'POST' && ct.includes('x-www-form-urlencoded')) || action) return 'sts';
  const segs = decodeSegments(rawPath) ?? [];
  if (matchRoute(req.method ?? 'GET', segs)) return 'medical-imaging';
  if (['datastore', 'startDICOMImportJob', 'getDICOMImportJob', 'listDICOMImportJobs', 'tags'].includes(segs[0] ?? '')) return 'medical-imaging';
  return 's3';
}

function renderError(service: ServiceName, err: ApiError, requestId: string, method: string): Outgoing {
  if (service === 'medical-imaging' || service === 'kms')
    return {
      status: err.status,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': err.code },
      body: JSON.stringify({ __type: err.code, message: err.message }),
    };
  if (service === 's3')
    return {
      status: err.status,
      headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'x-amz-id-2': requestId, ...err.headers },
      ...(method === 'HEAD' ? {} : { body: s3ErrorXml(err.code, err.message, requestId, err.extra) }),
    };
  return {
    status: err.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: stsErrorXml(err.code, err.status, err.message, requestId, service === 'iam' ? IAM_NS : undefined),
  };
}

export function createRequestHandler(ctx: ServerContext): (req: IncomingMessage, res: ServerResponse) => void {
  const mi = new MedicalImagingApi(ctx.core);
  const s3 = new S3Api(ctx.core.store, new BucketRegions(ctx.core));
  const iam = ctx.principals ? new IamApi(ctx.core, ctx.principals) : undefined;
  const { core } = ctx;

  return (req, res) => {
    const started = Date.now();
    const requestId = randomUUID();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    let service: ServiceName = 'medical-imaging';
    let operation = 'Unknown';
    let drop = false;
    let label: string | undefined; // set for Identity Center requests, which are not SigV4 services
    let bodyRead = false;
    const read = (limit: number) => {
      bodyRead = true;
      return readBody(req, res, limit);
    };

    const finish = (out: Outgoing) => {
      const send = () => {
        const body = out.body === undefined ? undefined : Buffer.isBuffer(out.body) ? out.body : Buffer.from(out.body);
        const headers: Record<string, string> = { ...out.headers };
        if (!('content-length' in headers)) headers['content-length'] = String(body?.length ?? 0);
        try {
          if (drop && body && body.length > 1) {
            // Headers and half the body, then the connection dies: a response lost mid-flight.
            res.writeHead(out.status, headers);
            res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
          } else if (drop) {
            res.socket?.destroy();
          } else if (!bodyRead && hasBody(req) && !req.complete) {
            // Refused before its body was read: answer, then close rather than take the upload in.
            res.writeHead(out.status, { ...headers, connection: 'close' });
            endWithoutBody(res, method === 'HEAD' ? undefined : body);
          } else {
            res.writeHead(out.status, headers);
            res.end(method === 'HEAD' ? undefined : body);
          }
        } catch {
          res.socket?.destroy();
        }
        // Path only (never the query, headers or body): nothing secret reaches the log.
        ctx.log?.(`${method} ${rawPath} ${label ?? `${service}:${operation}`} ${drop ? 'dropped' : out.status} ${Date.now() - started}ms`);
      };
      const delay = core.faults.latencyMs;
      if (delay > 0) setTimeout(send, delay).unref?.();
      else send();
    };

    const run = async (): Promise<Outgoing> => {
      const query = parseQuery(rawQuery);
      const icKind = ctx.identityCenter ? identityCenterRoute(method, rawPath) : null;
      const authHeader = req.headers['authorization'];
      const parsedAuth = typeof authHeader === 'string' ? parseAuthorization(authHeader) : null;
      const scoped = parsedAuth?.service;
      service = scoped === 's3' || scoped === 'sts' || scoped === 'medical-imaging' || scoped === 'iam' || scoped === 'kms' ? scoped : guessService(req, rawPath, query);
      if (icKind) label = `${icKind === 'oidc' ? 'sso-oidc' : 'sso'}:${rawPath}`;

      if (!ctx.hosts.allows(req.headers.host)) {
        const message = ctx.hosts.refusal(req.headers.host);
        if (!icKind) throw hostRefused(service, message);
        const refusal = icKind === 'oidc' ? { error: 'invalid_request', error_description: message } : { message };
        return {
          status: 400,
          headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': 'InvalidRequestException' },
          body: JSON.stringify(refusal),
        };
      }
      if (icKind && ctx.identityCenter) return ctx.identityCenter.handle(method, rawPath, query, req.headers, await read(MAX_API_BODY));

      // Name the operation early so even refused requests log what they were.
      const early = decodeSegments(rawPath);
      if (early && service === 'medical-imaging') operation = matchRoute(method, early)?.operation ?? 'Unknown';
      if (early && service === 's3') operation = matchS3Route(method, early, query, req.headers).operation;

      // --- authentication: everything that needs no body first ---
      const keyPair = ctx.principals?.keyPair(parsedAuth?.accessKeyId) ?? ctx.credentials;
      const scope = { accessKeyId: keyPair.accessKeyId, region: signingRegionOf(service, core.region) };
      const { auth, signingDate } = checkCredentialScope(service, req.headers, parsedAuth, scope);
      const signed = { method, rawPath, query, headers: req.headers };
      const secret = keyPair.secretAccessKey;
      let body: Buffer;
      let declaredHash: string | undefined;
      if (service === 's3') {
        // S3 signs the declared payload hash, so the signature is checked before the upload is read.
        declaredHash = s3DeclaredPayload(req.headers, auth);
        await checkSignature(service, { ...signed, body: NO_BODY }, auth, secret, signingDate);
        body = await readWithin(MAX_S3_BODY);
      } else {
        // The SDK signs HealthImaging and STS calls over the body itself: read it (1 MiB at most) first.
        body = await readWithin(MAX_API_BODY);
        await checkSignature(service, { ...signed, body }, auth, secret, signingDate);
        const header = req.headers['x-amz-content-sha256'];
        declaredHash = typeof header === 'string' ? header : undefined;
      }
      checkDeclaredHash(service, declaredHash, body);

      core.sweep();

      // --- dispatch ---
      if (service === 'medical-imaging') {
        const segs = decodeSegments(rawPath);
        const route = segs ? matchRoute(method, segs) : null;
        if (!route) throw new ApiError('UnknownOperationException', 404, `No HealthImaging operation is ${method} ${rawPath}`);
        operation = route.operation;
        applyFaults(operation);
        let parsed: Record<string, unknown> = {};
        if (body.length > 0) {
          let json: unknown;
          try {
            json = JSON.parse(body.toString('utf8'));
          } catch (e) {
            throw new ApiError('SerializationException', 400, `The request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
          }
          if (!json || typeof json !== 'object' || Array.isArray(json)) throw new ApiError('SerializationException', 400, 'The request body must be a JSON object');
          parsed = json as Record<string, unknown>;
        }
        const result = mi.handle({ route, query, body: parsed });
        return { status: 200, headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId }, body: JSON.stringify(result) };
      }
      if (service === 'sts' || service === 'iam') {
        const form = method === 'POST' ? parseQuery(body.toString('utf8').replace(/\+/g, '%20')) : query;
        operation = stsAction(form);
        applyFaults(operation);
        const xml =
          service === 'iam'
            ? iam!.handle(operation, form, auth.accessKeyId, requestId)
            : handleSts(operation, core.accountId, auth.accessKeyId, requestId, ctx.principals?.user(auth.accessKeyId)?.arn);
        return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: xml };
      }
      if (service === 'kms') {
        operation = kmsAction(req.headers['x-amz-target']);
        applyFaults(operation);
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8') || '{}');
        } catch {
          throw new ApiError('SerializationException', 400, 'The request body is not valid JSON');
        }
        const out = handleKms(core, operation, (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>);
        return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId }, body: JSON.stringify(out) };
      }
      const segs = decodeSegments(rawPath);
      if (!segs) throw new ApiError('InvalidURI', 400, "Couldn't parse the specified URI.");
      const route = matchS3Route(method, segs, query, req.headers);
      operation = route.operation;
      applyFaults(operation);
      const enc = String(req.headers['content-encoding'] ?? '');
      const payload = enc.includes('aws-chunked') || isStreamingPayload(declaredHash ?? '') ? decodeAwsChunked(body, req.headers['x-amz-decoded-content-length']) : body;
      const out = s3.handle(route, query, req.headers, payload);
      return { ...out, headers: { ...out.headers, 'x-amz-request-id': requestId, 'x-amz-id-2': requestId } };
    };

    /** Reads the body of an authenticated request; one declared larger than the limit is refused unread. */
    const readWithin = async (limit: number): Promise<Buffer> => {
      const tooLarge = () =>
        service === 's3'
          ? new ApiError('EntityTooLarge', 400, `Your proposed upload exceeds the sandbox maximum of ${limit} bytes`)
          : new ApiError('RequestEntityTooLargeException', 413, `Request body exceeds the maximum of ${limit} bytes`);
      if ((declaredLength(req) ?? 0) > limit) throw tooLarge();
      try {
        return await read(limit);
      } catch (e) {
        if (!(e instanceof BodyTooLarge)) throw e;
        res.setHeader('connection', 'close');
        throw tooLarge();
      }
    };

    const applyFaults = (op: string) => {
      const forced = core.faults.takeForcedError(op);
      if (forced) throw faultError(service, forced);
      if (core.faults.throttled(op)) throw faultError(service, 'ThrottlingException');
      drop = core.faults.takeDrop(op);
    };

    run()
      .then(finish, (err: unknown) => {
        if (err instanceof ApiError) return finish(renderError(service, err, requestId, method));
        if (err instanceof ClientAborted) {
          ctx.log?.(`${method} ${rawPath} ${service}:${operation} aborted by client ${Date.now() - started}ms`);
          res.socket?.destroy();
          return;
        }
        const message = err instanceof Error ? err.message : String(err);
        ctx.log?.(`sandbox internal error on ${method} ${rawPath}: ${message}`);
        const internal =
          service === 'medical-imaging'
            ? new ApiError('InternalServerException', 500, 'The sandbox hit an internal error; see its log.')
            : service === 's3'
              ? new ApiError('InternalError', 500, 'The sandbox hit an internal error; see its log.')
              : service === 'kms'
                ? new ApiError('KMSInternalException', 500, 'The sandbox hit an internal error; see its log.')
                : new ApiError('InternalFailure', 500, 'The sandbox hit an internal error; see its log.');
        return finish(renderError(service, internal, requestId, method));
      })
      .catch(() => res.socket?.destroy());
  };
}
