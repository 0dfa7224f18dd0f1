/**
 * Synthetic demo data laid into a demo bucket on first start: three studies, five series, 30
 * valid instances under dicom/ (a clean import), and a second prefix dicom-with-errors/ with valid
 * files plus a text file, a truncated file and an instance missing its series UID (an import that
 * COMPLETES with customer errors). Names and UIDs are synthetic and deterministic.
 */
import { createHash } from 'node:crypto';
import { syntheticInstance, writePart10 } from './dicom-writer';
import type { S3Store } from './s3-store';

export const DEMO_BUCKET = 'healthimaging-sandbox-demo';
export const DEMO_INPUT_PREFIX = 'dicom/';
export const DEMO_ERRORS_PREFIX = 'dicom-with-errors/';
export const DEMO_OUTPUT_PREFIX = 'output/';

export const DEMO_ROLE_NAME = 'HealthImagingSandboxImportRole';

/** The demo role's trust: HealthImaging may assume it for this account's data stores (the guide's recommended conditions). */
export function demoTrustPolicy(accountId: string, region: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'medical-imaging.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': accountId },
          ArnLike: { 'aws:SourceArn': `arn:aws:medical-imaging:${region}:${accountId}:datastore/*` },
        },
      },
    ],
  });
}

/** Least privilege for the demo bucket: read any input prefix, write results under output/. */
export function demoPermissionsPolicy(): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadInput', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${DEMO_BUCKET}`, `arn:aws:s3:::${DEMO_BUCKET}/*`] },
      { Sid: 'WriteOutput', Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${DEMO_BUCKET}/${DEMO_OUTPUT_PREFIX}*` },
    ],
  });
}

export interface DemoLocations {
  bucket: string;
  inputS3Uri: string;
  outputS3Uri: string;
  dataAccessRoleArn: string;
  withErrorsInputS3Uri: string;
}

export function demoLocations(accountId: string): DemoLocations {
  return {
    bucket: DEMO_BUCKET,
    inputS3Uri: `s3://${DEMO_BUCKET}/${DEMO_INPUT_PREFIX}`,
    outputS3Uri: `s3://${DEMO_BUCKET}/${DEMO_OUTPUT_PREFIX}`,
    dataAccessRoleArn: `arn:aws:iam::${accountId}:role/${DEMO_ROLE_NAME}`,
    withErrorsInputS3Uri: `s3://${DEMO_BUCKET}/${DEMO_ERRORS_PREFIX}`,
  };
}

/** 2.25.<decimal> UIDs derived from a seed: valid, unique, reproducible. */
export function uidFor(seed: string): string {
  const hex = createHash('sha256').update(`ahi-sandbox:${seed}`).digest('hex').slice(0, 30);
  return `2.25.${BigInt(`0x${hex}`).toString(10)}`;
}

interface SeriesPlan {
  modality: string;
  description: string;
  count: number;
}
interface StudyPlan {
  patientName: string;
  patientId: string;
  description: string;
  date: string;
  series: SeriesPlan[];
}

const STUDIES: StudyPlan[] = [
  {
    patientName: 'SANDBOX^ALPHA',
    patientId: 'SBX0001',
    description: 'Synthetic chest CT',
    date: '20240105',
    series: [
      { modality: 'CT', description: 'Axial 5mm', count: 8 },
      { modality: 'CT', description: 'Coronal reformat', count: 6 },
    ],
  },
  {
    patientName: 'SANDBOX^BRAVO',
    patientId: 'SBX0002',
    description: 'Synthetic brain MR',
    date: '20240212',
    series: [
      { modality: 'MR', description: 'T1 axial', count: 6 },
      { modality: 'MR', description: 'T2 axial', count: 6 },
    ],
  },
  {
    patientName: 'SANDBOX^CHARLIE',
    patientId: 'SBX0003',
    description: 'Synthetic chest X-ray',
    date: '20240320',
    series: [{ modality: 'CR', description: 'PA view', count: 4 }],
  },
];

function instances(tag: string, studies: StudyPlan[]): Array<{ key: string; body: Buffer }> {
  const out: Array<{ key: string; body: Buffer }> = [];
  studies.forEach((study, si) => {
    const studyUid = uidFor(`${tag}:study:${si}`);
    study.series.forEach((series, ri) => {
      const seriesUid = uidFor(`${tag}:series:${si}:${ri}`);
      for (let n = 1; n <= series.count; n++) {
        out.push({
          key: `${study.patientId}/series-${ri + 1}/instance-${String(n).padStart(3, '0')}.dcm`,
          body: syntheticInstance({
            patientName: study.patientName,
            patientId: study.patientId,
            studyUid,
            seriesUid,
            sopInstanceUid: uidFor(`${tag}:sop:${si}:${ri}:${n}`),
            modality: series.modality,
            studyDate: study.date,
            studyDescription: study.description,
            seriesDescription: series.description,
            seriesNumber: ri + 1,
            instanceNumber: n,
          }),
        });
      }
    });
  });
  return out;
}

export const DEMO_COUNTS = { files: 30, studies: 3, series: 5, errorsPrefixValid: 4, errorsPrefixBroken: 3 };

/** Lays the demo bucket unless it already exists (first start only; never overwrites user changes). */
export function seedDemoData(store: S3Store): boolean {
  if (store.bucketExists(DEMO_BUCKET)) return false;
  store.createBucket(DEMO_BUCKET);
  for (const f of instances('demo', STUDIES)) store.write(DEMO_BUCKET, DEMO_INPUT_PREFIX + f.key, f.body);

  const errorStudy: StudyPlan = {
    patientName: 'SANDBOX^DELTA',
    patientId: 'SBX0004',
    description: 'Synthetic study with broken files',
    date: '20240401',
    series: [{ modality: 'CT', description: 'Axial', count: 4 }],
  };
  const good = instances('errors', [errorStudy]);
  for (const f of good) store.write(DEMO_BUCKET, DEMO_ERRORS_PREFIX + f.key, f.body);
  store.write(DEMO_BUCKET, `${DEMO_ERRORS_PREFIX}README.txt`, Buffer.from('This is not a DICOM file: the import reports it as a customer error.\n'));
  const first = good[0]!.body;
  store.write(DEMO_BUCKET, `${DEMO_ERRORS_PREFIX}SBX0004/truncated.dcm`, first.subarray(0, 140));
  const noSeries = writePart10('1.2.840.10008.5.1.4.1.1.7', uidFor('errors:noseries'), [
    { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7' },
    { tag: 0x00080018, vr: 'UI', value: uidFor('errors:noseries') },
    { tag: 0x00100010, vr: 'PN', value: 'SANDBOX^DELTA' },
    { tag: 0x0020000d, vr: 'UI', value: uidFor('errors:study:0') },
  ]);
  store.write(DEMO_BUCKET, `${DEMO_ERRORS_PREFIX}SBX0004/missing-series-uid.dcm`, noSeries);
  return true;
}
