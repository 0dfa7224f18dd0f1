/**
 * The concurrent-imports quota at archive scale, through the real SDK: `maxConcurrentImports` (the
 * CLI's --max-concurrent-imports) caps the SUBMITTED/IN_PROGRESS jobs of one data store, a start
 * beyond it is ServiceQuotaExceededException (402) worded like AWS, and the list and the per-job
 * view agree on every status while jobs move.
 */
import { CreateDatastoreCommand, GetDICOMImportJobCommand, paginateListDICOMImportJobs, StartDICOMImportJobCommand } from '@aws-sdk/client-medical-imaging';
import { afterEach, describe, expect, it } from 'vitest';
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
