import * as childProcess from 'child_process';

jest.mock('child_process', () => {
  const actual = jest.requireActual<typeof import('child_process')>('child_process');
  return { ...actual, spawn: jest.fn(actual.spawn), spawnSync: jest.fn(actual.spawnSync) };
});

const spawned = () => (childProcess.spawn as jest.Mock).mock.calls.length + (childProcess.spawnSync as jest.Mock).mock.calls.length;

describe('run.ts', () => {
  afterEach(() => jest.restoreAllMocks());

  test('GIVEN the module is imported THEN nothing runs: no output, no child process', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const before = spawned();
    jest.isolateModules(() => {
      const run = require('./run') as typeof import('./run');
      expect(typeof run.main).toBe('function');
    });
    expect(spawned()).toBe(before);
    expect(log).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });

  test('GIVEN a bad setting THEN main fails with the variable named, before looking for any tool', async () => {
    const { main } = await import('./run');
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const before = spawned();
    await expect(main({ EMULATOR_TIMEOUT_SECONDS: 'soon' })).resolves.toBe(1);
    expect(error.mock.calls.join('\n')).toMatch(/EMULATOR_TIMEOUT_SECONDS: got "soon"; allowed: a whole number of seconds/);
    expect(spawned()).toBe(before);
  });
});
