/**
 * The batch ledger on disk: client tokens within HealthImaging's ClientToken rule and stable, a
 * torn last line dropped and cut before the next append, a damaged line before the last refused,
 * one process per batch, and a report that says 'interrupted' when nothing drives the batch.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchReport, listBatches } from '../app/batches';
import { BatchInUseError, BatchLedger, BatchLedgerDamagedError, batchDir, clientTokenFor, LEDGER_FILE, newBatchId, readLedger } from './ledger';
import { planArchive } from './plan';

let runsDir: string;
beforeEach(() => {
  runsDir = mkdtempSync(join(tmpdir(), 'ahi-ledger-'));
});
afterEach(() => rmSync(runsDir, { recursive: true, force: true }));

const plan = planArchive('s3://archive-bucket/a/', [
  { key: 'a/x/1.dcm', size: 10 },
  { key: 'a/y/1.dcm', size: 10 },
], { maxFiles: 1, maxBytes: 1e9, maxFolders: 100, maxFileBytes: 1e9 });

const create = (id: string) =>
  BatchLedger.create(runsDir, id, {
    inputs: { datastoreId: 'a'.repeat(32), inputS3Uri: 's3://archive-bucket/a/', outputS3Uri: 's3://archive-bucket/out/', dataAccessRoleArn: 'arn:aws:iam::123456789012:role/R' },
    target: { region: 'us-east-1', sandbox: true },
    limits: plan.limits,
    concurrency: 2,
    plan: { jobs: plan.jobs, unsplittable: [], totals: plan.totals },
  });

describe('clientTokenFor', () => {
  it('is the same for a batch and prefix, differs per prefix and attempt, and fits ^[A-Za-z0-9._-]+$ in 64 characters', () => {
    const long = `s3://b/${'deep/'.repeat(200)}`;
    const tokens = [clientTokenFor('batch-1', 's3://b/p/'), clientTokenFor('batch-1', 's3://b/q/'), clientTokenFor('batch-2', 's3://b/p/'), clientTokenFor('batch-1', 's3://b/p/', 2), clientTokenFor('batch-1', long, 99)];
    expect(clientTokenFor('batch-1', 's3://b/p/')).toBe(tokens[0]);
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const t of tokens) {
      expect(t).toMatch(/^[A-Za-z0-9._-]+$/);
      expect(t.length).toBeLessThanOrEqual(64);
    }
    expect(newBatchId(new Date('2026-01-02T03:04:05.678Z'))).toMatch(/^batch-20260102T030405Z-[0-9a-f]{6}$/);
  });
});

describe('BatchLedger', () => {
  it('appends fsync\'d lines in order; a torn last line is dropped and cut before the next append', async () => {
    const ledger = await create('batch-torn');
    await ledger.append({ type: 'job-submitting', inputS3Uri: plan.jobs[0]!.inputS3Uri, clientToken: 't', attempt: 1 });
    await ledger.close();
    const file = join(batchDir(runsDir, 'batch-torn'), LEDGER_FILE);
    appendFileSync(file, '{"seq":3,"type":"job-submitted","inputS3U');
    expect((await readLedger(runsDir, 'batch-torn')).records.map((r) => r.type)).toEqual(['batch-started', 'job-submitting']);
    const again = await BatchLedger.open(runsDir, 'batch-torn');
    await again.append({ type: 'batch-stopped', reason: 'interrupted' });
    await again.close();
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(lines.map((l) => (JSON.parse(l) as { type: string; seq: number }).type)).toEqual(['batch-started', 'job-submitting', 'batch-stopped']);
    expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([1, 2, 3]);
  });

  it('a bad line before the last is damage: the batch is not resumed, the error names the line', async () => {
    const ledger = await create('batch-damaged');
    await ledger.close();
    const file = join(batchDir(runsDir, 'batch-damaged'), LEDGER_FILE);
    writeFileSync(file, `${readFileSync(file, 'utf8')}not json\n{"seq":3,"type":"batch-stopped","reason":"interrupted"}\n`);
    const err = await BatchLedger.open(runsDir, 'batch-damaged').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BatchLedgerDamagedError);
    expect((err as Error).message).toMatch(/damaged at line 2/);
    // The lock was given back: a repaired ledger can be opened.
    writeFileSync(file, readFileSync(file, 'utf8').split('\n')[0] + '\n');
    await (await BatchLedger.open(runsDir, 'batch-damaged')).close();
  });

  it('one process per batch; the report says running while it is driven and interrupted once it is not', async () => {
    const ledger = await create('batch-locked');
    await expect(BatchLedger.open(runsDir, 'batch-locked')).rejects.toBeInstanceOf(BatchInUseError);
    expect((await batchReport(runsDir, 'batch-locked')).state).toBe('running');
    await ledger.close();
    const report = await batchReport(runsDir, 'batch-locked');
    expect(report.state).toBe('interrupted');
    expect(report.jobs.map((j) => [j.inputS3Uri, j.status])).toEqual([
      ['s3://archive-bucket/a/x/', 'queued'],
      ['s3://archive-bucket/a/y/', 'queued'],
    ]);
    expect(report.totals).toEqual({ scanned: 0, imported: 0, failed: 0, imageSets: 0 });
    expect((await listBatches(runsDir)).map((b) => [b.batchId, b.state, b.jobs])).toEqual([['batch-locked', 'interrupted', 2]]);
    await expect(create('batch-locked')).rejects.toThrow(/already exists/);
  });
});
