/**
 * The concurrent-imports quota at archive scale, through the real SDK: `maxConcurrentImports` (the
 * CLI's --max-concurrent-imports) caps the SUBMITTED/IN_PROGRESS jobs of one data store, a start
 * beyond it is ServiceQuotaExceededException (402) worded like AWS, and the list and the per-job
 * view agree on every status while jobs move.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDatastoreCommand, GetDatastoreCommand, GetDICOMImportJobCommand, ListDICOMImportJobsCommand, paginateListDICOMImportJobs, StartDICOMImportJobCommand } from '@aws-sdk/client-medical-imaging';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { syntheticInstance } from './dicom-writer';
import { uidFor } from './demo-data';
import { parseArgs } from './cli';
import { startSandbox, type Sandbox } from './index';
import { clients } from './test-clients';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function activeStore(s: Sandbox) {
  const c = clients(s);
  const ds = (await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'quota', clientToken: 'ds-token' }))).datastoreId!;
  s.clock.advance(120_000);
  return { c, ds };
}

describe('--max-concurrent-imports', () => {
  it('the N+1th start while N jobs run is a 402 ServiceQuotaExceededException; once one ends a start is accepted again', async () => {
    sb = await startSandbox({ manualClock: true, maxConcurrentImports: 3 });
    const { c, ds } = await activeStore(sb);
    const start = (token: string) =>
      c.mi.send(new StartDICOMImportJobCommand({ datastoreId: ds, dataAccessRoleArn: sb!.demo.dataAccessRoleArn, inputS3Uri: sb!.demo.inputS3Uri, outputS3Uri: sb!.demo.outputS3Uri, clientToken: token }));
    for (const t of ['a', 'b', 'c']) await start(t);
    const refused = await start('d').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ name: 'ServiceQuotaExceededException', $metadata: { httpStatusCode: 402 } });
    expect((refused as Error).message).toMatch(/exceeded the maximum number of concurrent import jobs \(3\)/);
    // A retry of an accepted start (same token) is not a new job: no 402.
    await expect(start('a')).resolves.toMatchObject({ jobStatus: 'SUBMITTED' });
    sb.clock.advance(24 * 3600_000);
    await expect(start('d')).resolves.toMatchObject({ jobStatus: 'SUBMITTED' });
  });

  it('defaults to 100 per data store; the sandbox CLI takes the flag and refuses a bad value', async () => {
    expect(parseArgs(['--max-concurrent-imports', '3']).maxConcurrentImports).toBe(3);
    expect(() => parseArgs(['--max-concurrent-imports', '0'])).toThrow(/whole number of at least 1/);
    await expect(startSandbox({ maxConcurrentImports: 1.5 })).rejects.toThrow(/maxConcurrentImports must be a whole number/);
    sb = await startSandbox({ manualClock: true, demoData: true });
    const { c, ds } = await activeStore(sb);
    for (let i = 0; i < 100; i++)
      await c.mi.send(new StartDICOMImportJobCommand({ datastoreId: ds, dataAccessRoleArn: sb.demo.dataAccessRoleArn, inputS3Uri: sb.demo.inputS3Uri, outputS3Uri: sb.demo.outputS3Uri, clientToken: `t${i}` }));
    await expect(c.mi.send(new StartDICOMImportJobCommand({ datastoreId: ds, dataAccessRoleArn: sb.demo.dataAccessRoleArn, inputS3Uri: sb.demo.inputS3Uri, outputS3Uri: sb.demo.outputS3Uri, clientToken: 't100' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 402 },
    });
  });

  it('ListDICOMImportJobs reports the same status, end time and message as GetDICOMImportJob for every job, at every moment', async () => {
    sb = await startSandbox({ manualClock: true, timings: { importSubmittedMs: 1_000, importBaseMs: 5_000, importPerFileMs: 100 } });
    const { c, ds } = await activeStore(sb);
    const inputs = [sb.demo.inputS3Uri, sb.demo.withErrorsInputS3Uri, 's3://no-such-bucket-here/x/'];
    for (let i = 0; i < 12; i++)
      await c.mi.send(new StartDICOMImportJobCommand({ datastoreId: ds, dataAccessRoleArn: sb.demo.dataAccessRoleArn, inputS3Uri: inputs[i % 3], outputS3Uri: sb.demo.outputS3Uri, clientToken: `j${i}` }));
    const seen = new Set<string>();
    for (let step = 0; step < 8; step++) {
      const listed = [];
      for await (const page of paginateListDICOMImportJobs({ client: c.mi, pageSize: 5 }, { datastoreId: ds })) listed.push(...(page.jobSummaries ?? []));
      expect(listed).toHaveLength(12);
      for (const s of listed) {
        const one = (await c.mi.send(new GetDICOMImportJobCommand({ datastoreId: ds, jobId: s.jobId }))).jobProperties!;
        expect({ status: one.jobStatus, endedAt: one.endedAt, message: one.message }).toEqual({ status: s.jobStatus, endedAt: s.endedAt, message: s.message });
        seen.add(s.jobStatus!);
      }
      sb.clock.advance(1_500);
    }
    expect([...seen].sort()).toEqual(['COMPLETED', 'FAILED', 'IN_PROGRESS', 'SUBMITTED']);
  });
});

describe('import processing at archive scale', () => {
  it('two 2,500-file jobs ending together never hold the server up; IN_PROGRESS until the outputs exist, and list and get agree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sbx-big-'));
    try {
      sb = await startSandbox({ dataDir: dir, timings: { datastoreCreateMs: 50, importSubmittedMs: 50, importBaseMs: 300, importPerFileMs: 0 } });
      for (const j of [0, 1]) {
        const folder = join(dir, 's3', 'healthimaging-sandbox-demo', 'big', `J${j}`);
        mkdirSync(folder, { recursive: true });
        for (let i = 0; i < 2_500; i++)
          writeFileSync(
            join(folder, `${i}.dcm`),
            syntheticInstance({ patientName: 'Big^Job', patientId: `BIG${j}`, studyUid: uidFor(`big:${j}`), seriesUid: uidFor(`big:${j}:s`), sopInstanceUid: uidFor(`big:${j}:${i}`), modality: 'OT', studyDate: '20240101', studyDescription: 'big', seriesDescription: 'big', seriesNumber: 1, instanceNumber: i + 1 }),
          );
      }
      const c = clients(sb);
      const ds = (await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'big', clientToken: 'big' }))).datastoreId!;
      await new Promise((r) => setTimeout(r, 150));
      expect((await c.mi.send(new GetDatastoreCommand({ datastoreId: ds }))).datastoreProperties?.datastoreStatus).toBe('ACTIVE');
      const ids: string[] = [];
      for (const j of [0, 1])
        ids.push((await c.mi.send(new StartDICOMImportJobCommand({ datastoreId: ds, dataAccessRoleArn: sb.demo.dataAccessRoleArn, inputS3Uri: `s3://healthimaging-sandbox-demo/big/J${j}/`, outputS3Uri: sb.demo.outputS3Uri, clientToken: `big${j}` }))).jobId!);
      // While both are processed, other requests are answered at once, and both views agree.
      const slowest: number[] = [];
      const seen = new Set<string>();
      for (let round = 0; round < 400; round++) {
        const t = performance.now();
        const listed = (await c.mi.send(new ListDICOMImportJobsCommand({ datastoreId: ds }))).jobSummaries ?? [];
        slowest.push(performance.now() - t);
        for (const id of ids) {
          const one = (await c.mi.send(new GetDICOMImportJobCommand({ datastoreId: ds, jobId: id }))).jobProperties!;
          const inList = listed.find((s) => s.jobId === id)!;
          // Get was asked after List: it may be one step further, never behind.
          const order = ['SUBMITTED', 'IN_PROGRESS', 'COMPLETED'];
          expect(order.indexOf(one.jobStatus!)).toBeGreaterThanOrEqual(order.indexOf(inList.jobStatus!));
          seen.add(one.jobStatus!);
        }
        if (listed.every((s) => s.jobStatus === 'COMPLETED')) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(seen.has('COMPLETED')).toBe(true);
      slowest.sort((a, b) => b - a);
      // A job processed whole in one go would hold a request for well over 200 ms here.
      expect(slowest[0]).toBeLessThan(250);
      const done = (await c.mi.send(new GetDICOMImportJobCommand({ datastoreId: ds, jobId: ids[0]! }))).jobProperties!;
      expect(done.jobStatus).toBe('COMPLETED');
      const manifest = await c.s3.send(new GetObjectCommand({ Bucket: 'healthimaging-sandbox-demo', Key: `${done.outputS3Uri!.replace('s3://healthimaging-sandbox-demo/', '')}job-output-manifest.json` }));
      const summary = JSON.parse(await manifest.Body!.transformToString()) as { jobSummary: { numberOfImportedFiles: number } };
      expect(summary.jobSummary.numberOfImportedFiles).toBe(2_500);
    } finally {
      await sb?.close();
      sb = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
