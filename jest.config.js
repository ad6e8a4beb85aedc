// Native ESM mode (see package.json "test"): Nest 12 ships ESM only.
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  // Two workers on the 2-core machines (jest's default is cores - 1): every test file owns its
  // database, so files run side by side. A loaded machine slows a world's set-up past a minute.
  maxWorkers: 2,
  testTimeout: 180000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};
