import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [] }],
    },
  },
  {
    // vscode-free layers: the same code serves the extension, the CLI and unit tests.
    files: ['src/core/**', 'src/providers/**', 'src/protocol/**', 'sandbox/**', 'src/cli/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core, src/providers, src/protocol, the CLI and the sandbox must not depend on vscode.' }] }] },
  },
  {
    files: ['**/*.mjs', 'scripts/**', 'test/harness/**'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
  },
);
