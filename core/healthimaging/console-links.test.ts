import { describe, expect, it } from 'vitest';
const DATASTORE_ID = '0123456789abcdef0123456789abcdef';
const JOB_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
import { consoleLinksApply, datastoreConsoleUrl, importJobConsoleUrl } from './console-links';

describe('console links', () => {
  it('point at the run region', () => {
    expect(datastoreConsoleUrl('eu-west-2', DATASTORE_ID)).toBe(
      `https://eu-west-2.console.aws.amazon.com/medical-imaging/home?region=eu-west-2#/data-stores/${DATASTORE_ID}`,
    );
    expect(importJobConsoleUrl('us-west-2', DATASTORE_ID, JOB_ID)).toBe(
      `https://us-west-2.console.aws.amazon.com/medical-imaging/home?region=us-west-2#/data-stores/${DATASTORE_ID}/import-jobs/${JOB_ID}`,
    );
  });

  it('refuse anything that could bend the URL', () => {
    expect(datastoreConsoleUrl('evil.com/x', DATASTORE_ID)).toBeUndefined();
    expect(datastoreConsoleUrl('us-east-1', '../../x')).toBeUndefined();
    expect(importJobConsoleUrl('us-east-1', DATASTORE_ID, 'a/b')).toBeUndefined();
  });
});


describe('consoleLinksApply', () => {
  it('offers console links for AWS endpoints only', () => {
    expect(consoleLinksApply({ sandbox: false })).toBe(true);
    expect(consoleLinksApply({ sandbox: false, endpoint: 'https://vpce-0abc.medical-imaging.us-east-1.vpce.amazonaws.com' })).toBe(true);
    expect(consoleLinksApply({ sandbox: true, endpoint: 'http://127.0.0.1:4566' })).toBe(false);
    expect(consoleLinksApply({ sandbox: false, endpoint: 'http://127.0.0.1:4566' })).toBe(false);
    expect(consoleLinksApply({ sandbox: false, endpoint: 'https://amazonaws.com.evil.example' })).toBe(false);
    expect(consoleLinksApply(undefined)).toBe(false);
  });
});
