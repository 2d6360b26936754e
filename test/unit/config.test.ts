import { ConfigError, loadConfig } from '../../src/config';

describe('config', () => {
  it('has working defaults for the embedded stack', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ TEMPORAL_ADDRESS: '127.0.0.1:7233', API_PORT: 3000, TEMPORAL_TASK_QUEUE: 'chargeloop-subscriptions' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('fails fast naming every bad variable', () => {
    expect(() => loadConfig({ API_PORT: 'eighty', MERCHANT_WEBHOOK_URL: 'not a url' })).toThrow(ConfigError);
    try {
      loadConfig({ API_PORT: 'eighty', MERCHANT_WEBHOOK_URL: 'not a url' });
    } catch (err) {
      expect((err as Error).message).toMatch(/API_PORT/);
      expect((err as Error).message).toMatch(/MERCHANT_WEBHOOK_URL/);
    }
  });

  it('leaves the worker cache to the SDK unless told, and refuses a non-number', () => {
    expect(loadConfig({}).WORKER_MAX_CACHED_WORKFLOWS).toBeUndefined();
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '500' }).WORKER_MAX_CACHED_WORKFLOWS).toBe(500);
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: 'lots' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
  });
});
