/**
 * The small S3 surface the product needs (path-style): ListBuckets, CreateBucket (with a
 * LocationConstraint), HeadBucket, GetBucketLocation, ListObjectsV2, GetObject (ranged), HeadObject,
 * PutObject, over the sandbox's folders, answered in S3's XML. A bucket of another region answers
 * object and listing calls with S3's 301 PermanentRedirect, as S3 does at the wrong regional endpoint.
 */
import type { BucketRegions } from './bucket-regions';
import { ApiError, xmlEscape } from './errors';
import { BUCKET_NAME_RE, etagOf, type S3Store } from './s3-store';

export type S3Operation = 'ListBuckets' | 'CreateBucket' | 'HeadBucket' | 'GetBucketLocation' | 'ListObjectsV2' | 'GetObject' | 'HeadObject' | 'PutObject' | 'Unsupported';

export interface S3Route {
  operation: S3Operation;
  bucket?: string;
  key?: string;
}

export interface S3Response {
  status: number;
  headers: Record<string, string>;
  body?: Buffer | string;
}

/** Path style: /bucket/key/with/slashes. Segments arrive decoded. */
export function matchS3Route(method: string, segments: string[], query: Record<string, string | string[]>): S3Route {
  const [bucket, ...rest] = segments;
  const key = rest.length ? rest.join('/') : undefined;
  if (!bucket) return { operation: method === 'GET' ? 'ListBuckets' : 'Unsupported' };
  if (key === undefined || key === '') {
    if (method === 'PUT') return { operation: 'CreateBucket', bucket };
    if (method === 'HEAD') return { operation: 'HeadBucket', bucket };
    if (method === 'GET' && query['location'] !== undefined) return { operation: 'GetBucketLocation', bucket };
    if (method === 'GET' && query['list-type'] === '2') return { operation: 'ListObjectsV2', bucket };
    return { operation: 'Unsupported', bucket };
  }
  if (method === 'GET') return { operation: 'GetObject', bucket, key };
  if (method === 'HEAD') return { operation: 'HeadObject', bucket, key };
  if (method === 'PUT' && query['uploadId'] === undefined && query['partNumber'] === undefined) return { operation: 'PutObject', bucket, key };
  return { operation: 'Unsupported', bucket, key };
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function contentTypeFor(key: string): string {
  if (key.endsWith('.json')) return 'application/json';
  if (key.endsWith('.ndjson')) return 'application/x-ndjson';
  if (key.endsWith('.txt')) return 'text/plain';
  if (key.endsWith('.dcm')) return 'application/dicom';
  return 'application/octet-stream';
}

function one(q: string | string[] | undefined): string | undefined {
  return Array.isArray(q) ? q[0] : q;
}

export class S3Api {
  constructor(
    private readonly store: S3Store,
    /** Without it every bucket is in the sandbox's region. */
    private readonly regions?: BucketRegions,
  ) {}

  private exists(bucket: string): void {
    if (!this.store.bucketExists(bucket)) throw new ApiError('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket });
  }

  /** Exists, and lives in the region this endpoint serves. */
  private requireBucket(bucket: string): void {
    this.exists(bucket);
    const region = this.regions?.of(bucket);
    if (this.regions && region !== this.regions.endpointRegion) {
      throw new ApiError(
        'PermanentRedirect',
        301,
        'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
        { Endpoint: `s3.${region}.amazonaws.com`, Bucket: bucket },
        { 'x-amz-bucket-region': region! },
      );
    }
  }

  handle(route: S3Route, query: Record<string, string | string[]>, headers: Record<string, string | string[] | undefined>, body: Buffer): S3Response {
    switch (route.operation) {
      case 'ListBuckets':
        return this.listBuckets();
      case 'CreateBucket': {
        if (!BUCKET_NAME_RE.test(route.bucket!)) throw new ApiError('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: route.bucket! });
        const region = this.regions?.requested(body);
        if (this.store.bucketExists(route.bucket!)) {
          // us-east-1 answers 200 to its owner re-creating a bucket there (legacy); elsewhere 409.
          if (!(region === 'us-east-1' && this.regions?.of(route.bucket!) === 'us-east-1'))
            throw new ApiError('BucketAlreadyOwnedByYou', 409, 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: route.bucket! });
          return { status: 200, headers: { location: `/${route.bucket}` } };
        }
        this.store.createBucket(route.bucket!);
        if (region) this.regions!.record(route.bucket!, region);
        return { status: 200, headers: { location: `/${route.bucket}` } };
      }
      case 'HeadBucket': {
        this.requireBucket(route.bucket!);
        return { status: 200, headers: this.regions ? { 'x-amz-bucket-region': this.regions.of(route.bucket!) } : {} };
      }
      case 'GetBucketLocation': {
        this.exists(route.bucket!);
        const region = this.regions?.of(route.bucket!) ?? 'us-east-1';
        // us-east-1 is the empty constraint, as S3 reports it.
        const inner = region === 'us-east-1' ? `<LocationConstraint xmlns="${NS}"/>` : `<LocationConstraint xmlns="${NS}">${region}</LocationConstraint>`;
        return { status: 200, headers: { 'content-type': 'application/xml' }, body: XML_HEAD + inner };
      }
      case 'ListObjectsV2':
        return this.listObjects(route.bucket!, query);
      case 'GetObject':
      case 'HeadObject':
        return this.getObject(route.bucket!, route.key!, route.operation === 'HeadObject', one(headers['range'] as string | undefined));
      case 'PutObject': {
        this.requireBucket(route.bucket!);
        if (!this.store.isValidKey(route.bucket!, route.key!)) throw new ApiError('InvalidArgument', 400, 'Invalid object key', { Key: route.key! });
        this.store.write(route.bucket!, route.key!, body);
        return { status: 200, headers: { etag: etagOf(body) } };
      }
      case 'Unsupported':
        throw new ApiError('NotImplemented', 501, 'A header or query you provided implies functionality that the sandbox S3 does not implement.');
    }
  }

  private listBuckets(): S3Response {
    const buckets = this.store
      .buckets()
      .map((b) => `<Bucket><Name>${xmlEscape(b.name)}</Name><CreationDate>${b.created.toISOString()}</CreationDate>${this.regions ? `<BucketRegion>${this.regions.of(b.name)}</BucketRegion>` : ''}</Bucket>`)
      .join('');
    return {
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body: `${XML_HEAD}<ListAllMyBucketsResult xmlns="${NS}"><Owner><ID>sandbox</ID></Owner><Buckets>${buckets}</Buckets></ListAllMyBucketsResult>`,
    };
  }

  private getObject(bucket: string, key: string, headOnly: boolean, range: string | undefined): S3Response {
    this.requireBucket(bucket);
    const data = this.store.read(bucket, key);
    const info = this.store.head(bucket, key);
    if (!data || !info) throw new ApiError('NoSuchKey', 404, 'The specified key does not exist.', { Key: key });
    const headers: Record<string, string> = {
      'content-type': contentTypeFor(key),
      etag: etagOf(data),
      'last-modified': info.lastModified.toUTCString(),
      'accept-ranges': 'bytes',
    };
    const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
    if (m && (m[1] || m[2])) {
      let start = m[1] ? Number(m[1]) : Math.max(0, data.length - Number(m[2]));
      let end = m[1] && m[2] ? Math.min(Number(m[2]), data.length - 1) : data.length - 1;
      if (start >= data.length || start > end) throw new ApiError('InvalidRange', 416, 'The requested range is not satisfiable');
      start = Math.max(0, start);
      end = Math.max(start, end);
      const part = data.subarray(start, end + 1);
      return {
        status: 206,
        headers: { ...headers, 'content-range': `bytes ${start}-${end}/${data.length}`, 'content-length': String(part.length) },
        ...(headOnly ? {} : { body: part }),
      };
    }
    return { status: 200, headers: { ...headers, 'content-length': String(data.length) }, ...(headOnly ? {} : { body: data }) };
  }

  private listObjects(bucket: string, query: Record<string, string | string[]>): S3Response {
    this.requireBucket(bucket);
    const prefix = one(query['prefix']) ?? '';
    const delimiter = one(query['delimiter']) ?? '';
    const maxKeysRaw = one(query['max-keys']);
    const maxKeys = maxKeysRaw === undefined ? 1000 : Number(maxKeysRaw);
    if (!Number.isInteger(maxKeys) || maxKeys < 0) throw new ApiError('InvalidArgument', 400, 'Provided max-keys not an integer or within integer range');
    const token = one(query['continuation-token']);
    const startAfter = one(query['start-after']);
    const urlEncode = one(query['encoding-type']) === 'url';
    let after = startAfter ?? '';
    if (token !== undefined) {
      try {
        after = Buffer.from(token, 'base64url').toString('utf8');
      } catch {
        throw new ApiError('InvalidArgument', 400, 'The continuation token provided is incorrect');
      }
    }
    const enc = (s: string) => xmlEscape(urlEncode ? encodeURIComponent(s).replace(/%2F/g, '/') : s);

    // Entries in key order: objects, or common prefixes when a delimiter folds them.
    const entries: Array<{ kind: 'object'; key: string; size: number; modified: Date } | { kind: 'prefix'; key: string }> = [];
    const seenPrefixes = new Set<string>();
    for (const o of this.store.list(bucket, prefix)) {
      if (delimiter) {
        const idx = o.key.indexOf(delimiter, prefix.length);
        if (idx >= 0) {
          const cp = o.key.slice(0, idx + delimiter.length);
          if (!seenPrefixes.has(cp)) {
            seenPrefixes.add(cp);
            entries.push({ kind: 'prefix', key: cp });
          }
          continue;
        }
      }
      entries.push({ kind: 'object', key: o.key, size: o.size, modified: o.lastModified });
    }
    const remaining = entries.filter((e) => e.key > after);
    const page = remaining.slice(0, maxKeys);
    const truncated = remaining.length > page.length;
    const parts: string[] = [`<ListBucketResult xmlns="${NS}">`, `<Name>${xmlEscape(bucket)}</Name>`, `<Prefix>${enc(prefix)}</Prefix>`];
    if (delimiter) parts.push(`<Delimiter>${enc(delimiter)}</Delimiter>`);
    parts.push(`<MaxKeys>${maxKeys}</MaxKeys>`, `<KeyCount>${page.length}</KeyCount>`, `<IsTruncated>${truncated}</IsTruncated>`);
    if (urlEncode) parts.push('<EncodingType>url</EncodingType>');
    if (token !== undefined) parts.push(`<ContinuationToken>${xmlEscape(token)}</ContinuationToken>`);
    if (startAfter !== undefined) parts.push(`<StartAfter>${enc(startAfter)}</StartAfter>`);
    if (truncated) parts.push(`<NextContinuationToken>${Buffer.from(page[page.length - 1]!.key).toString('base64url')}</NextContinuationToken>`);
    for (const e of page) {
      if (e.kind === 'prefix') parts.push(`<CommonPrefixes><Prefix>${enc(e.key)}</Prefix></CommonPrefixes>`);
      else {
        const etag = etagOf(this.store.read(bucket, e.key) ?? Buffer.alloc(0));
        parts.push(
          `<Contents><Key>${enc(e.key)}</Key><LastModified>${e.modified.toISOString()}</LastModified><ETag>${xmlEscape(etag)}</ETag><Size>${e.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
        );
      }
    }
    parts.push('</ListBucketResult>');
    return { status: 200, headers: { 'content-type': 'application/xml' }, body: XML_HEAD + parts.join('') };
  }
}

export function s3ErrorXml(code: string, message: string, requestId: string, extra: Record<string, string>): string {
  const more = Object.entries(extra)
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join('');
  return `${XML_HEAD}<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message>${more}<RequestId>${requestId}</RequestId></Error>`;
}

/** Decodes an aws-chunked body (SigV4 streaming / trailer checksums) into its payload. */
export function decodeAwsChunked(body: Buffer): Buffer {
  const out: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', pos);
    if (eol < 0) throw new ApiError('IncompleteBody', 400, 'The aws-chunked body is malformed');
    const sizeHex = body.subarray(pos, eol).toString('latin1').split(';')[0]!.trim();
    const size = Number.parseInt(sizeHex, 16);
    if (!Number.isFinite(size) || size < 0) throw new ApiError('IncompleteBody', 400, 'The aws-chunked body is malformed');
    pos = eol + 2;
    if (size === 0) break;
    if (pos + size > body.length) throw new ApiError('IncompleteBody', 400, 'The aws-chunked body is shorter than its chunk sizes');
    out.push(body.subarray(pos, pos + size));
    pos += size + 2;
  }
  return Buffer.concat(out);
}
