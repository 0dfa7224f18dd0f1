// Lint enforces the architecture (docs: ../shared/docs/architecture.md), not taste: the
// boundaries below fail `npm run lint` (and so `npm test`) on a forbidden import.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const tests = ['**/*.test.ts', '**/*.test.tsx', '**/*.spec.ts', '**/test-support/**', '**/__fixtures__/**'];
const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'tls', 'stream', 'zlib', 'url', 'util'];

/** One boundary: files matching `files` may not import `patterns` (globs as gitignore has them) or `regex`. */
const boundary = (files, patterns, message, regex) => ({
  files,
  ignores: tests,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }, ...(regex ? [{ regex, message }] : [])] }] },
});

export default [
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'test-results/**', 'playwright-report/**', '**/*.d.ts', '**/*.d.mts'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } },
    plugins: { '@typescript-eslint': tseslint.plugin, 'react-hooks': reactHooks },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  boundary(
    ['core/**/*.ts'],
    ['electron', 'react', 'react-dom', '**/electron/**', '**/renderer/**', '**/sandbox/**', '**/cli/**'],
    'core is plain Node shared by the app and the CLI: it imports no electron, react, renderer, cli or sandbox code.',
  ),
  boundary(
    ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    [...nodeBuiltins, 'electron', '**/electron/**', '**/sandbox/**', '**/cli/**'],
    'The renderer runs sandboxed in the window: no Node built-ins, no electron, and from core only the shared pure rules (core/runs/outcome, core/text/{duration,bytes}, core/healthimaging/{workflows,field-rules,console-links}, core/report/failure-causes); everything else comes through window.api.',
    // Shared pure rules are named one by one: a new core import in the renderer is a decision.
    String.raw`(^|/)core/(?!(runs/outcome|text/(duration|bytes)|healthimaging/(workflows|field-rules|console-links)|report/failure-causes)$)`,
  ),
  boundary(
    ['cli/**/*.ts'],
    ['electron', '**/electron/**', '**/renderer/**'],
    'The CLI runs without a window: it imports no electron or renderer code.',
  ),
];
