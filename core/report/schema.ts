/** The report's JSON Schema (draft-07), for validating reports and for documentation. */
import schema from './report.schema.json' with { type: 'json' }; // attribute: Node's ESM loader (Playwright Test) needs it

export const reportSchema: Readonly<Record<string, unknown>> = schema;
