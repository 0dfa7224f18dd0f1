/**
 * The small S3 surface the product needs (path-style): ListBuckets (paginated), CreateBucket (with a
 * LocationConstraint), HeadBucket, GetBucketLocation, ListObjectsV2, GetObject (ranged), HeadObject,
 * PutObject, CopyObject (server side, for staging archives), over the sandbox's folders, answered
 * in S3's XML. A bucket of another region answers
 * object and listing calls with S3's 301 PermanentRedirect, as S3 does at the wrong regional endpoint.
 */
import type { BucketRegions } from './bucket-regions';
import { ApiError, xmlEscape } from './errors';
import { BUCKET_NAME_RE, etagOf, KeyConflict, type S3Store } from './s3-store';

export type S3Operation = 'ListBuckets' | 'CreateBucket' | 'HeadBucket' | 'GetBucketLocation' | 'ListObjectsV2' | 'GetObject' | 'HeadObject' | 'PutObject' | 'CopyObject' | 'Unsupported';

/** CopyObject's limit for one request (larger objects need UploadPartCopy, which the sandbox lacks). */
export const MAX_COPY_SOURCE_BYTES = 5 * 1024 ** 3;

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

/** Path style: /bucket/key/with/slashes. Segments arrive decoded. A PUT with x-amz-copy-source is CopyObject. */
export function matchS3Route(method: string, segments: string[], query: Record<string, string | string[]>, headers: Record<string, string | string[] | undefined> = {}): S3Route {
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
  if (method === 'PUT' && query['uploadId'] === undefined && query['partNumber'] === undefined)
    return { operation: headers['x-amz-copy-source'] !== undefined ? 'CopyObject' : 'PutObject', bucket, key };
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
        return this.listBuckets(query);
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
        try {
          this.store.write(route.bucket!, route.key!, body);
        } catch (e) {
          if (!(e instanceof KeyConflict)) throw e;
          throw new ApiError(e.reason === 'too-long' ? 'KeyTooLongError' : 'InvalidArgument', 400, e.message, { Key: route.key! });
        }
        return { status: 200, headers: { etag: etagOf(body) } };
      }
      case 'CopyObject':
        return this.copyObject(route.bucket!, route.key!, headers);
      case 'Unsupported':
        throw new ApiError('NotImplemented', 501, 'A header or query you provided implies functionality that the sandbox S3 does not implement.');
    }
  }

  /**
   * Every bucket, or a page of them: max-buckets (1-10,000), an opaque continuation-token (the last
   * name of the page before), and a name prefix, as S3's paginated ListBuckets takes them.
   */
  private listBuckets(query: Record<string, string | string[]>): S3Response {
    const maxRaw = one(query['max-buckets']);
    const max = maxRaw === undefined ? 10_000 : Number(maxRaw);
    if (!Number.isInteger(max) || max < 1 || max > 10_000) throw new ApiError('InvalidArgument', 400, 'max-buckets must be an integer between 1 and 10000', { ArgumentName: 'max-buckets', ArgumentValue: maxRaw ?? '' });
    const token = one(query['continuation-token']);
    const after = token === undefined ? '' : Buffer.from(token, 'base64url').toString('utf8');
    const prefix = one(query['prefix']) ?? '';
    const all = this.store.buckets().filter((b) => b.name.startsWith(prefix) && b.name > after);
    const page = all.slice(0, max);
    const next = all.length > max ? `<ContinuationToken>${Buffer.from(page[page.length - 1]!.name).toString('base64url')}</ContinuationToken>` : '';
    const buckets = page
      .map((b) => `<Bucket><Name>${xmlEscape(b.name)}</Name><CreationDate>${b.created.toISOString()}</CreationDate>${this.regions ? `<BucketRegion>${this.regions.of(b.name)}</BucketRegion>` : ''}</Bucket>`)
      .join('');
    return {
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body: `${XML_HEAD}<ListAllMyBucketsResult xmlns="${NS}"><Owner><ID>sandbox</ID></Owner><Buckets>${buckets}</Buckets>${next}${prefix ? `<Prefix>${xmlEscape(prefix)}</Prefix>` : ''}</ListAllMyBucketsResult>`,
    };
  }

  /**
   * CopyObject: x-amz-copy-source is "[/]bucket/key" (URL-encoded, optionally ?versionId=null, as
   * the sandbox keeps no versions). The target bucket must be this endpoint's region like any
   * object call; the source may be in another region, as S3 copies across regions. Answers S3's
   * CopyObjectResult with the new object's ETag (the source's: MD5 of the same bytes) and time.
   */
  private copyObject(bucket: string, key: string, headers: Record<string, string | string[] | undefined>): S3Response {
    this.requireBucket(bucket);
    if (!this.store.isValidKey(bucket, key)) throw new ApiError('InvalidArgument', 400, 'Invalid object key', { Key: key });
    const raw = one(headers['x-amz-copy-source'] as string | string[] | undefined) ?? '';
    const [path = '', search = ''] = raw.split('?', 2);
    const version = new URLSearchParams(search).get('versionId');
    let decoded: string;
    try {
      decoded = decodeURIComponent(path).replace(/^\//, '');
    } catch {
      decoded = '';
    }
    const slash = decoded.indexOf('/');
    const fromBucket = slash > 0 ? decoded.slice(0, slash) : '';
    const fromKey = slash > 0 ? decoded.slice(slash + 1) : '';
    if (!fromBucket || !fromKey) throw new ApiError('InvalidArgument', 400, 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', { ArgumentName: 'x-amz-copy-source', ArgumentValue: raw });
    if (!this.store.bucketExists(fromBucket)) throw new ApiError('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: fromBucket });
    const info = this.store.head(fromBucket, fromKey);
    if (version !== null && version !== 'null') throw new ApiError(info ? 'NoSuchVersion' : 'NoSuchKey', 404, info ? 'The specified version does not exist.' : 'The specified key does not exist.', info ? { Key: fromKey, VersionId: version } : { Key: fromKey });
    if (!info) throw new ApiError('NoSuchKey', 404, 'The specified key does not exist.', { Key: fromKey });
    const sourceEtag = this.store.etag(fromBucket, fromKey)!;
    const ifMatch = one(headers['x-amz-copy-source-if-match'] as string | string[] | undefined);
    if (ifMatch !== undefined && !etagListHas(ifMatch, sourceEtag)) throw new ApiError('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', { Condition: 'x-amz-copy-source-If-Match' });
    const ifNoneMatch = one(headers['x-amz-copy-source-if-none-match'] as string | string[] | undefined);
    if (ifNoneMatch !== undefined && etagListHas(ifNoneMatch, sourceEtag)) throw new ApiError('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', { Condition: 'x-amz-copy-source-If-None-Match' });
    if (fromBucket === bucket && fromKey === key && one(headers['x-amz-metadata-directive'] as string | undefined) !== 'REPLACE')
      throw new ApiError(
        'InvalidRequest',
        400,
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
    if (info.size > MAX_COPY_SOURCE_BYTES) throw new ApiError('InvalidRequest', 400, `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_COPY_SOURCE_BYTES}`);
    let copied;
    try {
      copied = this.store.copy(fromBucket, fromKey, bucket, key);
    } catch (e) {
      if (!(e instanceof KeyConflict)) throw e;
      throw new ApiError(e.reason === 'too-long' ? 'KeyTooLongError' : 'InvalidArgument', 400, e.message, { Key: key });
    }
    if (!copied) throw new ApiError('NoSuchKey', 404, 'The specified key does not exist.', { Key: fromKey });
    return {
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body: `${XML_HEAD}<CopyObjectResult xmlns="${NS}"><LastModified>${copied.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(sourceEtag)}</ETag></CopyObjectResult>`,
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

    // Entries in key order: objects, or common prefixes when a delimiter folds them. With no
    // delimiter or "/", the store walks lazily from `after` and stops one past the page.
    const page: Array<{ kind: 'object'; key: string; size: number; modified: Date } | { kind: 'prefix'; key: string }> = [];
    let truncated = false;
    const take = (e: (typeof page)[number]) => {
      if (page.length === maxKeys) {
        truncated = true;
        return false;
      }
      page.push(e);
      return true;
    };
    if (!delimiter || delimiter === '/') {
      for (const e of this.store.entries(bucket, prefix, { after, fold: delimiter === '/' })) {
        if (!take(e.kind === 'prefix' ? e : { kind: 'object', key: e.key, size: e.size, modified: e.lastModified })) break;
      }
    } else {
      const seenPrefixes = new Set<string>();
      for (const o of this.store.list(bucket, prefix)) {
        const idx = o.key.indexOf(delimiter, prefix.length);
        const entry = idx >= 0 ? { kind: 'prefix' as const, key: o.key.slice(0, idx + delimiter.length) } : { kind: 'object' as const, key: o.key, size: o.size, modified: o.lastModified };
        if (entry.kind === 'prefix') {
          if (seenPrefixes.has(entry.key)) continue;
          seenPrefixes.add(entry.key);
        }
        if (Buffer.compare(Buffer.from(entry.key), Buffer.from(after)) <= 0) continue;
        if (!take(entry)) break;
      }
    }
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
        const etag = this.store.etag(bucket, e.key) ?? etagOf(Buffer.alloc(0));
        parts.push(
          `<Contents><Key>${enc(e.key)}</Key><LastModified>${e.modified.toISOString()}</LastModified><ETag>${xmlEscape(etag)}</ETag><Size>${e.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
        );
      }
    }
    parts.push('</ListBucketResult>');
    return { status: 200, headers: { 'content-type': 'application/xml' }, body: XML_HEAD + parts.join('') };
  }
}

/** An If-Match style header: "*" or a comma-separated list of (quoted or bare) ETags. */
function etagListHas(header: string, etag: string): boolean {
  const bare = etag.replace(/"/g, '');
  return header.split(',').some((t) => t.trim() === '*' || t.trim().replace(/"/g, '') === bare);
}

export function s3ErrorXml(code: string, message: string, requestId: string, extra: Record<string, string>): string {
  const more = Object.entries(extra)
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join('');
  return `${XML_HEAD}<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message>${more}<RequestId>${requestId}</RequestId></Error>`;
}

/**
 * Decodes an aws-chunked body (SigV4 streaming / trailer checksums) into its payload, which must
 * be as long as x-amz-decoded-content-length says when that is sent.
 */
export function decodeAwsChunked(body: Buffer, decodedLength?: string | string[]): Buffer {
  const payload = decodeChunks(body);
  if (typeof decodedLength === 'string' && Number(decodedLength) !== payload.length)
    throw new ApiError('IncompleteBody', 400, `You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header (${decodedLength}; got ${payload.length}).`);
  return payload;
}

function decodeChunks(body: Buffer): Buffer {
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
