/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/cdktf.out/', '/dist/'],
  // Type checking runs once in `npm test` (tsc --noEmit); transpile-only keeps the suite fast.
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
};
