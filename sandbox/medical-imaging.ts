/**
 * HealthImaging's restJson1 control plane: the 10 operations the product uses, with the model's
 * paths, field rules, idempotency, lifecycle rules and quotas.
 */
import { checkImportConfiguration } from './import-configuration';
import { randomBytes } from 'node:crypto';
import type { SandboxCore } from './core';
import { ApiError, conflict, notFound, quotaExceeded, validation } from './errors';
import { countInputFiles, jobOutputUri } from './import-processor';
import type { DatastoreRecord, JobRecord } from './state';
import { RULES, Violations } from './validation';

export type Operation =
  | 'CreateDatastore'
  | 'GetDatastore'
  | 'ListDatastores'
  | 'DeleteDatastore'
  | 'StartDICOMImportJob'
  | 'GetDICOMImportJob'
  | 'ListDICOMImportJobs'
  | 'TagResource'
  | 'ListTagsForResource'
  | 'UntagResource';

export interface Route {
  operation: Operation;
  labels: string[];
}

/** Matches method + decoded path segments to an operation (null: unknown route). */
export function matchRoute(method: string, segments: string[]): Route | null {
  const [a, b, c, d, e, f] = segments;
  const n = segments.length;
  if (a === 'datastore' && n === 1) {
    if (method === 'POST') return { operation: 'CreateDatastore', labels: [] };
    if (method === 'GET') return { operation: 'ListDatastores', labels: [] };
  }
  if (a === 'datastore' && n === 2) {
    if (method === 'GET') return { operation: 'GetDatastore', labels: [b!] };
    if (method === 'DELETE') return { operation: 'DeleteDatastore', labels: [b!] };
  }
  if (a === 'startDICOMImportJob' && b === 'datastore' && n === 3 && method === 'POST') return { operation: 'StartDICOMImportJob', labels: [c!] };
  if (a === 'getDICOMImportJob' && b === 'datastore' && d === 'job' && n === 5 && method === 'GET')
    return { operation: 'GetDICOMImportJob', labels: [c!, e!] };
  if (a === 'listDICOMImportJobs' && b === 'datastore' && n === 3 && method === 'GET') return { operation: 'ListDICOMImportJobs', labels: [c!] };
  if (a === 'tags' && n === 2) {
    if (method === 'POST') return { operation: 'TagResource', labels: [b!] };
    if (method === 'GET') return { operation: 'ListTagsForResource', labels: [b!] };
    if (method === 'DELETE') return { operation: 'UntagResource', labels: [b!] };
  }
  void f;
  return null;
}

export interface MiRequest {
  route: Route;
  query: Record<string, string | string[]>;
  body: Record<string, unknown>;
}

const MAX_DATASTORES = 100;

const epochSeconds = (ms: number) => ms / 1000;
const newId = () => randomBytes(16).toString('hex');

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

function single(q: string | string[] | undefined): string | undefined {
  return Array.isArray(q) ? q[q.length - 1] : q;
}

function throwIfInvalid(v: Violations): void {
  if (!v.empty) throw validation(v.message());
}

/** Pagination tokens are opaque to callers; they carry the offset and the filter they belong to. */
function encodeToken(offset: number, filter: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: filter })).toString('base64url');
}
function decodeToken(token: string | undefined, filter: string): number {
  if (token === undefined) return 0;
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; f?: unknown };
    if (typeof t.o === 'number' && Number.isInteger(t.o) && t.o >= 0 && t.f === filter) return t.o;
  } catch {
    // fall through
  }
  throw validation(`Value '${token.slice(0, 100)}' at 'nextToken' failed to satisfy constraint: Member must be a token returned by a previous call with the same filters`);
}

export class MedicalImagingApi {
  constructor(private readonly core: SandboxCore) {}

  handle(req: MiRequest): unknown {
    switch (req.route.operation) {
      case 'CreateDatastore':
        return this.createDatastore(req);
      case 'GetDatastore':
        return this.getDatastore(req);
      case 'ListDatastores':
        return this.listDatastores(req);
      case 'DeleteDatastore':
        return this.deleteDatastore(req);
      case 'StartDICOMImportJob':
        return this.startImport(req);
      case 'GetDICOMImportJob':
        return this.getImport(req);
      case 'ListDICOMImportJobs':
        return this.listImports(req);
      case 'TagResource':
        return this.tagResource(req);
      case 'ListTagsForResource':
        return this.listTags(req);
      case 'UntagResource':
        return this.untagResource(req);
    }
  }

  private get state() {
    return this.core.state;
  }

  private datastoreArn(id: string): string {
    return `arn:aws:medical-imaging:${this.core.region}:${this.core.accountId}:datastore/${id}`;
  }

  /** Validates the datastoreId label and finds the store (404 when unknown). */
  private findDatastore(raw: string): DatastoreRecord {
    const v = new Violations();
    const id = v.string('datastoreId', raw, RULES.datastoreId);
    throwIfInvalid(v);
    const ds = this.state.datastores[id!];
    if (!ds) throw notFound(`Datastore ${id} does not exist`);
    return ds;
  }

  private createDatastore({ body }: MiRequest): unknown {
    const v = new Violations();
    const name = v.string('datastoreName', body['datastoreName'], RULES.datastoreName);
    v.required('clientToken', body['clientToken']);
    const clientToken = v.string('clientToken', body['clientToken'], RULES.clientToken);
    const tags = v.tags('tags', body['tags']);
    const kmsKeyArn = v.string('kmsKeyArn', body['kmsKeyArn'], RULES.kmsKeyArn);
    const lambdaAuthorizerArn = v.string('lambdaAuthorizerArn', body['lambdaAuthorizerArn'], RULES.lambdaAuthorizerArn);
    const format = v.string('losslessStorageFormat', body['losslessStorageFormat'], RULES.losslessStorageFormat);
    throwIfInvalid(v);

    const fingerprint = canonical({ name, tags, kmsKeyArn, lambdaAuthorizerArn, format });
    const tokenKey = `CreateDatastore:${clientToken}`;
    const seen = this.state.tokens[tokenKey];
    if (seen) {
      if (seen.fingerprint !== fingerprint)
        throw conflict(`clientToken ${clientToken} was already used with different parameters for CreateDatastore`);
      const ds = this.state.datastores[seen.resourceId]!;
      return { datastoreId: ds.id, datastoreStatus: this.core.datastoreStatus(ds).status };
    }
    const live = Object.values(this.state.datastores).filter((d) => this.core.datastoreStatus(d).status !== 'DELETED').length;
    if (live >= MAX_DATASTORES) throw quotaExceeded(`The account already has ${MAX_DATASTORES} data stores in ${this.core.region}: the quota`);

    const id = newId();
    const failByName = name?.includes('fail-create') ?? false;
    const ds: DatastoreRecord = {
      id,
      name: name ?? `datastore-${id.slice(0, 8)}`,
      arn: this.datastoreArn(id),
      createdAt: this.core.now(),
      createMs: this.core.timings.datastoreCreateMs,
      createOutcome: this.core.faults.failCreation || failByName ? 'CREATE_FAILED' : 'ACTIVE',
      losslessStorageFormat: format ?? 'HTJ2K',
      overrides: [],
      ...(kmsKeyArn ? { kmsKeyArn } : {}),
      ...(lambdaAuthorizerArn ? { lambdaAuthorizerArn } : {}),
    };
    this.state.datastores[id] = ds;
    this.state.tokens[tokenKey] = { fingerprint, resourceId: id };
    if (tags && Object.keys(tags).length) this.state.tags[ds.arn] = { ...tags };
    this.core.save();
    return { datastoreId: id, datastoreStatus: this.core.datastoreStatus(ds).status };
  }

  private datastoreProperties(ds: DatastoreRecord) {
    const current = this.core.datastoreStatus(ds);
    return {
      datastoreId: ds.id,
      datastoreName: ds.name,
      datastoreStatus: current.status,
      datastoreArn: ds.arn,
      ...(ds.kmsKeyArn ? { kmsKeyArn: ds.kmsKeyArn } : {}),
      ...(ds.lambdaAuthorizerArn ? { lambdaAuthorizerArn: ds.lambdaAuthorizerArn } : {}),
      losslessStorageFormat: ds.losslessStorageFormat,
      createdAt: epochSeconds(ds.createdAt),
      updatedAt: epochSeconds(current.at),
    };
  }

  private getDatastore({ route }: MiRequest): unknown {
    return { datastoreProperties: this.datastoreProperties(this.findDatastore(route.labels[0]!)) };
  }

  private listDatastores({ query }: MiRequest): unknown {
    const v = new Violations();
    const status = v.string('datastoreStatus', single(query['datastoreStatus']), RULES.datastoreStatus);
    const token = v.string('nextToken', single(query['nextToken']), RULES.nextToken);
    const max = v.int('maxResults', single(query['maxResults']), RULES.maxResults) ?? 50;
    throwIfInvalid(v);
    const offset = decodeToken(token, `ds:${status ?? ''}`);
    const all = Object.values(this.state.datastores)
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .map((ds) => this.datastoreProperties(ds))
      .filter((p) => !status || p.datastoreStatus === status);
    const page = all.slice(offset, offset + max).map((p) => ({
      datastoreId: p.datastoreId,
      datastoreName: p.datastoreName,
      datastoreStatus: p.datastoreStatus,
      datastoreArn: p.datastoreArn,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    }));
    const next = offset + max < all.length ? encodeToken(offset + max, `ds:${status ?? ''}`) : undefined;
    return { datastoreSummaries: page, ...(next ? { nextToken: next } : {}) };
  }

  private deleteDatastore({ route }: MiRequest): unknown {
    const ds = this.findDatastore(route.labels[0]!);
    const status = this.core.datastoreStatus(ds).status;
    if (status === 'DELETED') throw notFound(`Datastore ${ds.id} does not exist`);
    if (status !== 'ACTIVE' && status !== 'CREATE_FAILED') throw conflict(`Datastore ${ds.id} is ${status} and cannot be deleted now`);
    const running = Object.values(this.state.jobs).filter((j) => j.datastoreId === ds.id && !['COMPLETED', 'FAILED'].includes(this.core.jobStatus(j).status));
    if (running.length) throw conflict(`Datastore ${ds.id} has ${running.length} import job(s) in progress`);
    ds.overrides.push({
      at: this.core.now(),
      statuses: [
        { status: 'DELETING', offsetMs: 0 },
        { status: 'DELETED', offsetMs: this.core.timings.datastoreDeleteMs },
      ],
    });
    this.core.save();
    return { datastoreId: ds.id, datastoreStatus: this.core.datastoreStatus(ds).status };
  }

  private startImport({ route, body }: MiRequest): unknown {
    const v = new Violations();
    const datastoreId = v.string('datastoreId', route.labels[0], RULES.datastoreId);
    const jobName = v.string('jobName', body['jobName'], RULES.jobName);
    v.required('dataAccessRoleArn', body['dataAccessRoleArn']);
    const roleArn = v.string('dataAccessRoleArn', body['dataAccessRoleArn'], RULES.dataAccessRoleArn);
    v.required('clientToken', body['clientToken']);
    const clientToken = v.string('clientToken', body['clientToken'], RULES.clientToken);
    v.required('inputS3Uri', body['inputS3Uri']);
    const inputS3Uri = v.string('inputS3Uri', body['inputS3Uri'], RULES.s3Uri);
    v.required('outputS3Uri', body['outputS3Uri']);
    const outputS3Uri = v.string('outputS3Uri', body['outputS3Uri'], RULES.s3Uri);
    const owner = v.string('inputOwnerAccountId', body['inputOwnerAccountId'], RULES.inputOwnerAccountId);
    const importConfiguration = checkImportConfiguration(v, body['importConfiguration']);
    throwIfInvalid(v);

    const ds = this.findDatastore(datastoreId!);
    const fingerprint = canonical({ datastoreId, jobName, roleArn, inputS3Uri, outputS3Uri, owner, importConfiguration });
    const tokenKey = `StartDICOMImportJob:${clientToken}`;
    const seen = this.state.tokens[tokenKey];
    if (seen) {
      if (seen.fingerprint !== fingerprint)
        throw conflict(`clientToken ${clientToken} was already used with different parameters for StartDICOMImportJob`);
      const job = this.state.jobs[seen.resourceId]!;
      return { datastoreId: job.datastoreId, jobId: job.id, jobStatus: this.core.jobStatus(job).status, submittedAt: epochSeconds(job.submittedAt) };
    }
    const status = this.core.datastoreStatus(ds).status;
    if (status !== 'ACTIVE') throw conflict(`Datastore ${ds.id} is ${status}: imports need an ACTIVE data store`);
    if (owner && owner !== this.core.accountId)
      throw new ApiError('AccessDeniedException', 403, `The input bucket owner ${owner} has not granted access to account ${this.core.accountId}`);
    // The concurrent-imports quota (L-... "Maximum number of concurrent import jobs"): 100 per data
    // store, 20 in ap-southeast-2, or what the sandbox was started with (--max-concurrent-imports).
    const limit = this.core.maxConcurrentImports ?? (this.core.region === 'ap-southeast-2' ? 20 : 100);
    const running = Object.values(this.state.jobs).filter((j) => j.datastoreId === ds.id && !['COMPLETED', 'FAILED'].includes(this.core.jobStatus(j).status));
    if (running.length >= limit)
      throw quotaExceeded(`You have exceeded the maximum number of concurrent import jobs (${limit}) for datastore ${ds.id}. Wait for a running job to end, or request a quota increase`);

    const id = newId();
    const files = Math.min(countInputFiles(this.core.store, inputS3Uri!), 5000);
    const t = this.core.timings;
    const forcedFailure = this.core.faults.failImports
      ? 'The import job failed (sandbox fault injection)'
      : inputS3Uri!.includes('fail-import')
        ? `Unable to read input S3 location ${inputS3Uri}: access denied for the data access role ${roleArn}`
        : undefined;
    const job: JobRecord = {
      id,
      datastoreId: ds.id,
      jobName: jobName ?? `DicomImport-${id.slice(0, 12)}`,
      dataAccessRoleArn: roleArn!,
      inputS3Uri: inputS3Uri!,
      outputS3Uri: outputS3Uri!,
      submittedAt: this.core.now(),
      submittedMs: t.importSubmittedMs,
      runMs: t.importBaseMs + t.importPerFileMs * files,
      ...(owner ? { inputOwnerAccountId: owner } : {}),
      ...(importConfiguration ? { importConfiguration } : {}),
      ...(forcedFailure ? { forcedFailure } : {}),
    };
    this.state.jobs[id] = job;
    this.state.tokens[tokenKey] = { fingerprint, resourceId: id };
    this.core.save();
    return { datastoreId: ds.id, jobId: id, jobStatus: this.core.jobStatus(job).status, submittedAt: epochSeconds(job.submittedAt) };
  }

  private jobSummary(job: JobRecord) {
    const current = this.core.jobStatus(job);
    const ended = current.status === 'COMPLETED' || current.status === 'FAILED';
    return {
      jobId: job.id,
      jobName: job.jobName,
      jobStatus: current.status,
      datastoreId: job.datastoreId,
      dataAccessRoleArn: job.dataAccessRoleArn,
      ...(ended ? { endedAt: epochSeconds(current.at) } : {}),
      submittedAt: epochSeconds(job.submittedAt),
      ...(ended && job.outcome?.message ? { message: job.outcome.message } : {}),
    };
  }

  private getImport({ route }: MiRequest): unknown {
    const v = new Violations();
    const datastoreId = v.string('datastoreId', route.labels[0], RULES.datastoreId);
    const jobId = v.string('jobId', route.labels[1], RULES.jobId);
    throwIfInvalid(v);
    this.findDatastore(datastoreId!);
    const job = this.state.jobs[jobId!];
    if (!job || job.datastoreId !== datastoreId) throw notFound(`Import job ${jobId} does not exist in datastore ${datastoreId}`);
    return {
      jobProperties: {
        ...this.jobSummary(job),
        inputS3Uri: job.inputS3Uri,
        outputS3Uri: jobOutputUri(job),
        ...(job.importConfiguration ? { importConfiguration: job.importConfiguration } : {}),
      },
    };
  }

  private listImports({ route, query }: MiRequest): unknown {
    const v = new Violations();
    const datastoreId = v.string('datastoreId', route.labels[0], RULES.datastoreId);
    const status = v.string('jobStatus', single(query['jobStatus']), RULES.jobStatus);
    const token = v.string('nextToken', single(query['nextToken']), RULES.nextToken);
    const max = v.int('maxResults', single(query['maxResults']), RULES.maxResults) ?? 50;
    throwIfInvalid(v);
    this.findDatastore(datastoreId!);
    const filter = `jobs:${datastoreId}:${status ?? ''}`;
    const offset = decodeToken(token, filter);
    const all = Object.values(this.state.jobs)
      .filter((j) => j.datastoreId === datastoreId)
      .sort((a, b) => a.submittedAt - b.submittedAt || a.id.localeCompare(b.id))
      .map((j) => this.jobSummary(j))
      .filter((s) => !status || s.jobStatus === status);
    const next = offset + max < all.length ? encodeToken(offset + max, filter) : undefined;
    return { jobSummaries: all.slice(offset, offset + max), ...(next ? { nextToken: next } : {}) };
  }

  /** Validates a resource ARN and checks that the data store (or image set) exists here. */
  private resolveArn(raw: string): string {
    const v = new Violations();
    const arn = v.string('resourceArn', raw, RULES.resourceArn);
    throwIfInvalid(v);
    const m = /^arn:[^:]+:medical-imaging:([^:]+):(\d{12}):datastore\/([0-9a-z]{32})(?:\/imageset\/([0-9a-z]{32}))?$/.exec(arn!);
    const ds = m && m[1] === this.core.region && m[2] === this.core.accountId ? this.state.datastores[m[3]!] : undefined;
    if (!m || !ds || this.core.datastoreStatus(ds).status === 'DELETED') throw notFound(`Resource ${arn} does not exist`);
    if (m[4] && !Object.entries(this.state.imageSets).some(([k, id]) => id === m[4] && k.startsWith(`${ds.id}|`)))
      throw notFound(`Resource ${arn} does not exist`);
    return arn!;
  }

  private tagResource({ route, body }: MiRequest): unknown {
    const arn = this.resolveArn(route.labels[0]!);
    const v = new Violations();
    v.required('tags', body['tags']);
    const tags = v.tags('tags', body['tags']);
    throwIfInvalid(v);
    const merged = { ...(this.state.tags[arn] ?? {}), ...tags };
    if (Object.keys(merged).length > 50) throw validation(`Resource ${arn} would have ${Object.keys(merged).length} tags: at most 50 are allowed`);
    this.state.tags[arn] = merged;
    this.core.save();
    return {};
  }

  private listTags({ route }: MiRequest): unknown {
    const arn = this.resolveArn(route.labels[0]!);
    return { tags: { ...(this.state.tags[arn] ?? {}) } };
  }

  private untagResource({ route, query }: MiRequest): unknown {
    const arn = this.resolveArn(route.labels[0]!);
    const v = new Violations();
    const raw = query['tagKeys'];
    v.required('tagKeys', raw);
    const keys = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    if (keys.length > 200) v.list.push(`Value at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to 200`);
    keys.forEach((k, i) => v.string(`tagKeys.${i + 1}.member`, k, RULES.tagKey));
    throwIfInvalid(v);
    const tags = { ...(this.state.tags[arn] ?? {}) };
    for (const k of keys) delete tags[k];
    this.state.tags[arn] = tags;
    this.core.save();
    return {};
  }
}
