import { ConfigError, loadConfig } from '../../src/config';

describe('config', () => {
  it('has working defaults for the embedded stack', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ TEMPORAL_ADDRESS: '127.0.0.1:7233', API_PORT: 3000, TEMPORAL_TASK_QUEUE: 'chargeloop-subscriptions' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('fails fast naming every bad variable', () => {
    expect(() => loadConfig({ API_PORT: 'eighty', JSON_LOGS: 'maybe' })).toThrow(ConfigError);
    try {
      loadConfig({ API_PORT: 'eighty', JSON_LOGS: 'maybe' });
    } catch (err) {
      expect((err as Error).message).toMatch(/API_PORT/);
      expect((err as Error).message).toMatch(/JSON_LOGS: must be true or false/);
    }
  });

  it('reads "false" as false', () => {
    expect(loadConfig({ JSON_LOGS: 'false' }).JSON_LOGS).toBe(false);
    expect(loadConfig({ JSON_LOGS: 'yes' }).JSON_LOGS).toBe(true);
  });
});
