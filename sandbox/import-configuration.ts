/**
 * StartDICOMImportJob `importConfiguration` as the official Smithy model defines it (API reference:
 * ImportConfiguration, DicomJsonMetadataImportConfiguration, DicomMetadataMapping): a union whose one
 * member today is dicomJsonMetadataImportConfiguration, holding 1-1,000 dicomMetadataMappings.
 * Violations use AWS's wording and AWS's member paths (1-based list index, `.member.`). The UIDs are
 * @sensitive in the model, so, like the service, their messages never echo the value.
 */
import { Violations, type StringRule } from './validation';

export interface DicomMetadataMapping {
  studyInstanceUID: string;
  seriesInstanceUID?: string;
  metadataFilePath: string;
}
export interface ImportConfiguration {
  dicomJsonMetadataImportConfiguration: { dicomMetadataMappings: DicomMetadataMapping[] };
}

const UID: StringRule = { kind: 'string', min: 0, max: 512, pattern: /^[0-9.]+$/ };
const METADATA_FILE_PATH: StringRule = { kind: 'string', min: 1, max: 1024, pattern: /^[a-zA-Z0-9!-~]+([a-zA-Z0-9!-~ ]*[a-zA-Z0-9!-~]+)*$/ };
const MAX_MAPPINGS = 1000;
const UNION_MEMBERS = ['dicomJsonMetadataImportConfiguration'];

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A sensitive string: same rules, the value replaced as AWS does for @sensitive members. */
function sensitive(v: Violations, field: string, value: unknown, rule: StringRule): string | undefined {
  const before = v.list.length;
  const out = v.string(field, value, rule);
  for (let i = before; i < v.list.length; i++) v.list[i] = v.list[i]!.replace(/^Value '.*?' at '/s, "Value '*** Sensitive Data Redacted ***' at '");
  return out;
}

/** Checks the member; returns it normalised when valid, undefined when absent or invalid. */
export function checkImportConfiguration(v: Violations, value: unknown): ImportConfiguration | undefined {
  if (value === undefined || value === null) return undefined;
  const field = 'importConfiguration';
  const before = v.list.length;
  if (!isObj(value)) {
    v.list.push(`Value at '${field}' failed to satisfy constraint: Member must be a structure`);
    return undefined;
  }
  const set = Object.keys(value).filter((k) => value[k] !== null && value[k] !== undefined);
  const unknown = set.filter((k) => !UNION_MEMBERS.includes(k));
  if (unknown.length > 0 || set.length !== 1) {
    v.list.push(
      `Value at '${field}' failed to satisfy constraint: Member must have exactly one member set, one of [${UNION_MEMBERS.join(', ')}]` +
        (unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''),
    );
    return undefined;
  }
  const jsonField = `${field}.dicomJsonMetadataImportConfiguration`;
  const json = value.dicomJsonMetadataImportConfiguration;
  if (!isObj(json)) {
    v.list.push(`Value at '${jsonField}' failed to satisfy constraint: Member must be a structure`);
    return undefined;
  }
  const listField = `${jsonField}.dicomMetadataMappings`;
  const list = json.dicomMetadataMappings;
  if (!v.required(listField, list)) return undefined;
  if (!Array.isArray(list)) {
    v.list.push(`Value at '${listField}' failed to satisfy constraint: Member must be a list`);
    return undefined;
  }
  if (list.length < 1) v.list.push(`Value '[]' at '${listField}' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  if (list.length > MAX_MAPPINGS)
    v.list.push(`Value at '${listField}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_MAPPINGS}`);
  const mappings: DicomMetadataMapping[] = [];
  // Beyond the length limit the entries are not checked one by one: one message says what is wrong.
  if (list.length <= MAX_MAPPINGS)
    list.forEach((raw, i) => {
      const at = `${listField}.${i + 1}.member`;
      if (!isObj(raw)) return void v.list.push(`Value at '${at}' failed to satisfy constraint: Member must be a structure`);
      v.required(`${at}.studyInstanceUID`, raw.studyInstanceUID);
      const study = sensitive(v, `${at}.studyInstanceUID`, raw.studyInstanceUID, UID);
      const series = sensitive(v, `${at}.seriesInstanceUID`, raw.seriesInstanceUID, UID);
      v.required(`${at}.metadataFilePath`, raw.metadataFilePath);
      const path = v.string(`${at}.metadataFilePath`, raw.metadataFilePath, METADATA_FILE_PATH);
      if (study !== undefined && path !== undefined) mappings.push({ studyInstanceUID: study, ...(series !== undefined ? { seriesInstanceUID: series } : {}), metadataFilePath: path });
    });
  if (v.list.length !== before) return undefined;
  return { dicomJsonMetadataImportConfiguration: { dicomMetadataMappings: mappings } };
}
