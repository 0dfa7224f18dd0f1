/**
 * importConfiguration through raw SigV4-signed requests: the SDK the registry serves (3.958.0) has
 * no such member yet, so the test writes the restJson1 body the newer model defines.
 */
import { CreateDatastoreCommand } from '@aws-sdk/client-medical-imaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';
import { clients, rawRequest } from './test-clients';

let sb: Sandbox;
let storeId: string;
beforeAll(async () => {
  sb = await startSandbox({ manualClock: true });
  storeId = (await clients(sb).mi.send(new CreateDatastoreCommand({ datastoreName: 'import-config' }))).datastoreId!;
  sb.clock.advance(120_000);
});
afterAll(async () => {
  await sb.close();
});

const STUDY = '1.2.840.113619.2.55.3.604688119';
const mapping = (over: Record<string, unknown> = {}) => ({ studyInstanceUID: STUDY, seriesInstanceUID: `${STUDY}.1`, metadataFilePath: 'meta/study-1.json', ...over });
let token = 0;

async function start(importConfiguration: unknown) {
  const body = JSON.stringify({
    dataAccessRoleArn: sb.demo.dataAccessRoleArn,
    clientToken: `cfg-${++token}`,
    inputS3Uri: sb.demo.inputS3Uri,
    outputS3Uri: sb.demo.outputS3Uri,
    importConfiguration,
  });
  const res = await rawRequest(sb, { method: 'POST', path: `/startDICOMImportJob/datastore/${storeId}`, headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, type: res.headers.get('x-amzn-errortype'), json: JSON.parse(res.text) as Record<string, unknown> };
}

const M = 'importConfiguration.dicomJsonMetadataImportConfiguration.dicomMetadataMappings';

describe('StartDICOMImportJob importConfiguration', () => {
  it('accepts valid mappings and records them on the job (GetDICOMImportJob returns them)', async () => {
    const cfg = { dicomJsonMetadataImportConfiguration: { dicomMetadataMappings: [mapping(), mapping({ seriesInstanceUID: undefined, metadataFilePath: 'meta/study level.json' })] } };
    const res = await start(cfg);
    expect(res.status).toBe(200);
    const got = await rawRequest(sb, { method: 'GET', path: `/getDICOMImportJob/datastore/${storeId}/job/${String(res.json.jobId)}` });
    expect(got.status).toBe(200);
    const props = (JSON.parse(got.text) as { jobProperties: Record<string, unknown> }).jobProperties;
    expect(props.importConfiguration).toEqual({
      dicomJsonMetadataImportConfiguration: {
        dicomMetadataMappings: [mapping(), { studyInstanceUID: STUDY, metadataFilePath: 'meta/study level.json' }],
      },
    });
  });

  it.each([
    ['a UID with letters', [mapping({ studyInstanceUID: '1.2.abc' })], `${M}.1.member.studyInstanceUID`, 'regular expression pattern: ^[0-9.]+$'],
    ['a series UID over 512', [mapping(), mapping({ seriesInstanceUID: '1'.repeat(513) })], `${M}.2.member.seriesInstanceUID`, 'length less than or equal to 512'],
    ['a missing study UID', [mapping({ studyInstanceUID: undefined })], `${M}.1.member.studyInstanceUID`, 'Member must not be null'],
    ['a missing metadata path', [mapping({ metadataFilePath: undefined })], `${M}.1.member.metadataFilePath`, 'Member must not be null'],
    ['an empty metadata path', [mapping({ metadataFilePath: '' })], `${M}.1.member.metadataFilePath`, 'length greater than or equal to 1'],
    ['a metadata path with a trailing space', [mapping({ metadataFilePath: 'meta/x.json ' })], `${M}.1.member.metadataFilePath`, 'regular expression pattern'],
    ['a metadata path over 1024', [mapping({ metadataFilePath: 'a'.repeat(1025) })], `${M}.1.member.metadataFilePath`, 'length less than or equal to 1024'],
    ['no mappings', [], M, 'length greater than or equal to 1'],
    ['1,001 mappings', Array.from({ length: 1001 }, () => mapping()), M, 'length less than or equal to 1000'],
  ])('refuses %s, naming the field and the rule', async (_what, mappings, field, rule) => {
    const res = await start({ dicomJsonMetadataImportConfiguration: { dicomMetadataMappings: mappings } });
    expect(res.status).toBe(400);
    expect(res.type).toBe('ValidationException');
    expect(String(res.json.message)).toContain(`at '${field}' failed to satisfy constraint`);
    expect(String(res.json.message)).toContain(rule);
  });

  it('never echoes the sensitive UIDs in a message', async () => {
    const res = await start({ dicomJsonMetadataImportConfiguration: { dicomMetadataMappings: [mapping({ studyInstanceUID: '9.9.secretish.1' })] } });
    expect(res.status).toBe(400);
    expect(String(res.json.message)).not.toContain('secretish');
    expect(String(res.json.message)).toContain('*** Sensitive Data Redacted ***');
  });

  it('refuses an empty or unknown union member', async () => {
    for (const cfg of [{}, { somethingElse: {} }, 'text']) {
      const res = await start(cfg);
      expect(res.status).toBe(400);
      expect(String(res.json.message)).toContain("at 'importConfiguration' failed to satisfy constraint");
    }
  });

  it('reports every violation at once (an empty path breaks both its length and its pattern)', async () => {
    const body = { dicomJsonMetadataImportConfiguration: { dicomMetadataMappings: [mapping({ studyInstanceUID: 'x' }), mapping({ metadataFilePath: '' })] } };
    const res = await start(body);
    expect(String(res.json.message)).toMatch(/^3 validation errors detected: /);
  });
});
