import { describe, expect, it } from 'vitest';
import { upsertSections } from './config-writer';

const sections = [
  { header: 'sso-session hospital', entries: [['sso_start_url', 'https://h.awsapps.com/start'], ['sso_region', 'us-east-1']] as [string, string][] },
  { header: 'profile imaging', entries: [['sso_session', 'hospital'], ['sso_account_id', '123456789012']] as [string, string][] },
];

describe('upsertSections', () => {
  it('appends new sections and keeps every other byte of the file', () => {
    const before = '# my comment\n[default]\nregion = eu-west-1 ; inline\n\n\n[profile other]\nregion=us-east-2\n# tail comment';
    const after = upsertSections(before, sections);
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toBe(
      '\n\n[sso-session hospital]\nsso_start_url = https://h.awsapps.com/start\nsso_region = us-east-1\n\n[profile imaging]\nsso_session = hospital\nsso_account_id = 123456789012\n',
    );
  });

  it('replaces an existing section in place, leaving the sections around it and their comments alone', () => {
    const before = '[profile a]\nregion = x\n\n[profile  imaging]\nsso_session = old\nregion = y\n\n# about b\n[profile b]\r\nregion = z\r\n';
    const after = upsertSections(before, [sections[1]!]);
    expect(after).toBe('[profile a]\r\nregion = x\n\n[profile imaging]\r\nsso_session = hospital\r\nsso_account_id = 123456789012\r\n\n# about b\n[profile b]\r\nregion = z\r\n'.replace('[profile a]\r\n', '[profile a]\n'));
  });

  it('an empty file gets just the sections', () => {
    expect(upsertSections('', [sections[0]!])).toBe('[sso-session hospital]\nsso_start_url = https://h.awsapps.com/start\nsso_region = us-east-1\n');
  });
});
