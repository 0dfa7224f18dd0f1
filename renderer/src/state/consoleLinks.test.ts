import { describe, expect, it } from 'vitest';
import { DATASTORE_ID, JOB_ID } from './__fixtures__/events';
import { datastoreConsoleUrl, importJobConsoleUrl } from './consoleLinks';

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
