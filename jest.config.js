/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/cdktf.out/', '/dist/'],
  // ts-jest only transpiles (isolatedModules in tsconfig.json): `npm test` type-checks sources and tests with tsc
  // first, once, which keeps the suite fast.
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
};
