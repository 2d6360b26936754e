// One jest project per tier (unit, workflows + replay, integration, e2e). Workflow, integration and e2e tiers share
// Temporal servers whose clocks are global, so the test script runs jest --runInBand.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
const base = { testEnvironment: 'node', transform: { '^.+\\.ts$': tsJest }, moduleFileExtensions: ['ts', 'js', 'json'] };

/** @type {import('jest').Config} */
module.exports = {
  // Global only: jest ignores testTimeout inside projects. Server start and workflow bundling take seconds.
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    // Gateway clients and normalizers driven by the documented corpus in test/fixtures/gateways.
    { ...base, displayName: 'contract', testMatch: ['<rootDir>/test/contract/**/*.test.ts'] },
    // Workflow tests on the time-skipping server, the randomized scenario suite (test/workflows/properties: 200 fixed
    // seeds and the regressions they found; npm run fuzz:workflow runs more) and replay of every committed history.
    { ...base, displayName: 'workflows', testMatch: ['<rootDir>/test/workflows/**/*.test.ts', '<rootDir>/test/replay/**/*.test.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
    { ...base, displayName: 'security', testMatch: ['<rootDir>/test/security/**/*.test.ts'] },
    // The production topology: Temporal server on PostgreSQL, two workers, two API replicas (test/cluster).
    { ...base, displayName: 'cluster', testMatch: ['<rootDir>/test/cluster/**/*.test.ts'] },
    // Test clocks on the stack npm run dev runs: Temporal server v1.32.2 on SQLite with per-execution time skipping.
    { ...base, displayName: 'clock', testMatch: ['<rootDir>/test/clock/**/*.test.ts'] },
  ],
};
