import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Another module's (or the kernel's) repository or entity file: `../<module>/<file>.repository.js`. */
const MODULE_WALL = {
  regex: '^(\\.\\./)+[^./][^/]*/[^/]*\\.(repository|entity)(\\.js)?$',
  message: "Another module's repository or entity: use that module's exported service (or the kernel's).",
};

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'coverage/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', fetch: 'readonly', setTimeout: 'readonly', performance: 'readonly', AbortSignal: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The web console runs in the browser.
    files: ['public/**/*.js'],
    languageOptions: {
      globals: {
        window: 'readonly', document: 'readonly', location: 'readonly', sessionStorage: 'readonly', localStorage: 'readonly',
        crypto: 'readonly', FormData: 'readonly', Intl: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', navigator: 'readonly',
        indexedDB: 'readonly', ResizeObserver: 'readonly', Blob: 'readonly', globalThis: 'readonly',
      },
    },
  },
  {
    // Browser tests: the callbacks handed to page.evaluate run in the page.
    files: ['test/e2e-browser/**/*.mjs'],
    languageOptions: { globals: { document: 'readonly', navigator: 'readonly', getComputedStyle: 'readonly', sessionStorage: 'readonly' } },
  },
  {
    // The service worker.
    files: ['public/sw.js'],
    languageOptions: { globals: { self: 'readonly', caches: 'readonly', Request: 'readonly', Response: 'readonly' } },
  },
  {
    // Time comes from the injected Clock, so deadlines and expiry are testable without sleeping.
    files: ['src/**/*.ts'],
    ignores: ['src/common/clock/**', 'src/**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use the injected Clock.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Use the injected Clock.' },
      ],
    },
  },
  {
    // Lifecycle machines are pure: XState and their own types, nothing that reaches the world.
    files: ['src/**/*.machine.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['@nestjs/*', 'typeorm', 'pg', '../*', 'node:*'] }] },
  },
  {
    // Module walls: a module reaches another's data through that module's exported services,
    // never its repository or entities (one door to the DB per aggregate).
    files: ['src/modules/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [MODULE_WALL] }] },
  },
  {
    // Services speak domain errors; only the filter knows HTTP. The module walls hold here too.
    files: ['src/modules/**/*.service.ts', 'src/modules/**/*.repository.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@nestjs/common', importNames: ['HttpException', 'BadRequestException', 'NotFoundException', 'ForbiddenException', 'ConflictException', 'UnauthorizedException'] }],
          patterns: [MODULE_WALL],
        },
      ],
    },
  },
  {
    // User administration is identity's other half (the users table, its hasher and policy). It is
    // a module of its own only because it checks OPDs and sponsors, and organisations depends on identity.
    files: ['src/modules/users/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@nestjs/common', importNames: ['HttpException', 'BadRequestException', 'NotFoundException', 'ForbiddenException', 'ConflictException', 'UnauthorizedException'] }] },
      ],
    },
  },
);
