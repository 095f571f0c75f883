// One lint tool for the whole tree. The rules that matter most here:
// - no floating promises (a lost promise is a lost reading or an unhandled crash);
// - the domain core stays pure: no node:*, no adapters, no clock or environment.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'dist/**', 'dashboard/dist/**', 'coverage/**', 'tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/domain/**/*.ts', 'src/wire/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'os', 'net', 'http', 'child_process'], message: 'The domain core is pure: no Node built-ins.' },
          { group: ['fastify*', 'mqtt', 'aedes', 'influx', '@influxdata/*', '**/adapters/**', '**/http/**'], message: 'The domain core never imports adapters or libraries with I/O.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'The domain core never reads the environment: pass values in.' },
        { name: 'setTimeout', message: 'The domain core has no timers: time comes in as data.' },
      ],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'The domain core never reads the clock: pass now_ms in.' },
        { object: 'Math', property: 'random', message: 'The domain core is deterministic.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // The dashboard's service worker runs in the browser's worker scope.
    files: ['dashboard/sw.js'],
    languageOptions: { globals: { self: 'readonly', caches: 'readonly', fetch: 'readonly', Response: 'readonly' } },
  },
);
