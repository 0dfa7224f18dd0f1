import { GetDICOMImportJobCommand, CreateDatastoreCommand, StartDICOMImportJobCommand } from '@aws-sdk/client-medical-imaging';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';
import { clients } from './test-clients';
import {
  DEFLATED_EXPLICIT_VR_LE,
  EXPLICIT_VR_BE,
  IMPLICIT_VR_LE,
  syntheticInstance,
  writePart10,
  type Part10Options,
} from './dicom-writer';

let sb: Sandbox;
let c: ReturnType<typeof clients>;
beforeEach(async () => {
  sb = await startSandbox({ manualClock: true });
  c = clients(sb);
});
afterEach(async () => {
  await sb.close();
});

const instance = (n: number, options: Part10Options = {}) =>
  syntheticInstance(
    {
      patientName: 'Test^Shape',
      patientId: 'SHAPE0001',
      studyUid: '2.25.11',
      seriesUid: '2.25.12',
      sopInstanceUid: `2.25.13${n}`,
      modality: 'OT',
      studyDate: '20260101',
      studyDescription: 'shapes',
      seriesDescription: 'shapes',
      seriesNumber: 1,
      instanceNumber: n,
    },
    options,
  );

/** Encapsulated (JPEG 2000) pixel data the sandbox has no codec for: it must not need one. */
function encapsulated(): Buffer {
  const head = instance(9, { transferSyntax: '1.2.840.10008.1.2.4.90' });
  const pixelAt = head.lastIndexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00]));
  const item = (bytes: number[]) => {
    const h = Buffer.alloc(8);
    h.writeUInt16LE(0xfffe, 0);
    h.writeUInt16LE(0xe000, 2);
    h.writeUInt32LE(bytes.length, 4);
    return Buffer.concat([h, Buffer.from(bytes)]);
  };
  const el = Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0, 0xff, 0xff, 0xff, 0xff]);
  const end = Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
  return Buffer.concat([head.subarray(0, pixelAt), el, item([]), item([0xff, 0x4f, 0xff, 0x51, 1, 2]), end]);
}

const DICOMDIR = writePart10('1.2.840.10008.1.3.10', '2.25.99', [
  { tag: 0x00041130, vr: 'CS', value: 'SANDBOX' },
  { tag: 0x00041200, vr: 'UL', value: 0 },
]);

const files: Record<string, { bytes: Buffer; expect: 'SUCCESS' | RegExp }> = {
  'explicit-le.dcm': { bytes: instance(1), expect: 'SUCCESS' },
  'nested/deeper/implicit-le.dcm': { bytes: instance(2, { transferSyntax: IMPLICIT_VR_LE }), expect: 'SUCCESS' },
  'big-endian.dcm': { bytes: instance(3, { transferSyntax: EXPLICIT_VR_BE }), expect: 'SUCCESS' },
  'deflated.dcm': { bytes: instance(4, { transferSyntax: DEFLATED_EXPLICIT_VR_LE }), expect: 'SUCCESS' },
  'jpeg2000.dcm': { bytes: encapsulated(), expect: 'SUCCESS' },
  'no-preamble.dcm': { bytes: instance(5, { preamble: false }), expect: /not a DICOM Part 10 file: no 'DICM' prefix at byte 128/ },
  'truncated.dcm': { bytes: instance(6, { truncateTo: 900 }), expect: /truncated/ },
  'truncated-deflated.dcm': { bytes: instance(7, { transferSyntax: DEFLATED_EXPLICIT_VR_LE, truncateTo: 400 }), expect: /inflated|truncated/ },
  'empty.dcm': { bytes: Buffer.alloc(0), expect: /empty/ },
  DICOMDIR: { bytes: DICOMDIR, expect: /DICOMDIR/ },
  'jpip.dcm': { bytes: instance(8, { transferSyntax: '1.2.840.10008.1.2.4.94' }), expect: /Transfer syntax 1\.2\.840\.10008\.1\.2\.4\.94 is not supported/ },
  'no-sop-class.dcm': {
    bytes: writePart10('1.2.840.10008.5.1.4.1.1.7', '2.25.5', [
      { tag: 0x00080018, vr: 'UI', value: '2.25.5' },
      { tag: 0x0020000d, vr: 'UI', value: '2.25.11' },
      { tag: 0x0020000e, vr: 'UI', value: '2.25.12' },
    ]),
    expect: /Missing required attribute SOPClassUID \(0008,0016\)/,
  },
  'notes.txt': { bytes: Buffer.from('not an image at all, just some words '.repeat(10)), expect: /not a DICOM Part 10 file/ },
};

describe('real-world-shaped DICOM through StartDICOMImportJob', () => {
  it('lands each file in SUCCESS or FAILURE as HealthImaging rules say, with a user-facing reason', async () => {
    await c.s3.send(new CreateBucketCommand({ Bucket: 'shapes' }));
    for (const [name, f] of Object.entries(files))
      await c.s3.send(new PutObjectCommand({ Bucket: 'shapes', Key: `in/${name}`, Body: f.bytes }));
    const store = await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'shapes' }));
    sb.clock.advance(120_000);
    const started = await c.mi.send(
      new StartDICOMImportJobCommand({
        datastoreId: store.datastoreId!,
        // The demo role may read only the demo bucket: a role of its own for this one.
        dataAccessRoleArn: sb.addRole(
          'ShapesImportRole',
          JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'medical-imaging.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
          { s3: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'], Resource: ['arn:aws:s3:::shapes', 'arn:aws:s3:::shapes/*'] }] }) },
        ),
        inputS3Uri: 's3://shapes/in/',
        outputS3Uri: 's3://shapes/out/',
      }),
    );
    sb.clock.advance(3_600_000);
    const job = (await c.mi.send(new GetDICOMImportJobCommand({ datastoreId: store.datastoreId!, jobId: started.jobId! }))).jobProperties!;
    expect(job.jobStatus).toBe('COMPLETED');
    const prefix = job.outputS3Uri!.replace('s3://shapes/', '');
    const read = async (key: string) =>
      (await (await c.s3.send(new GetObjectCommand({ Bucket: 'shapes', Key: `${prefix}${key}` }))).Body!.transformToString())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
    const ok = new Set((await read('SUCCESS/success.ndjson')).map((l) => l.inputFile.replace('s3://shapes/in/', '')));
    const failed = new Map<string, string>((await read('FAILURE/failure.ndjson')).map((l) => [l.inputFile.replace('s3://shapes/in/', ''), l.exception.message]));
    for (const [name, f] of Object.entries(files)) {
      if (f.expect === 'SUCCESS') expect(ok.has(name), `${name} imported (reason: ${failed.get(name)})`).toBe(true);
      else expect(failed.get(name), name).toMatch(f.expect);
    }
    for (const message of failed.values()) expect(message).not.toMatch(/dicomParser|is not a function|TypeError|undefined|Error:/);
  });
});
