import { DEV_API_KEY, findApiKey, sha256Hex } from '../../src/api/auth/api-keys';
import { ConfigError, loadConfig } from '../../src/config';

// Outside development the config also needs payload encryption keys (src/config.ts).
const CODEC = { CODEC_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}` };

const keys = [
  { name: 'svc', sha256: sha256Hex('secret-one'), scopes: ['read', 'write'] as ('read' | 'write')[] },
  { name: 'dash', sha256: sha256Hex('secret-two'), scopes: ['read'] as ('read' | 'write')[] },
];

describe('API keys', () => {
  it('finds the key a secret belongs to by its hash, and nothing for an unknown secret', () => {
    expect(findApiKey(keys, 'secret-two')?.name).toBe('dash');
    expect(findApiKey(keys, 'secret-one')?.name).toBe('svc');
    expect(findApiKey(keys, 'secret-three')).toBeUndefined();
    expect(findApiKey(keys, '')).toBeUndefined();
  });

  it('accepts the documented dev key only in development', () => {
    expect(findApiKey(loadConfig({ NODE_ENV: 'development' }).apiKeys, DEV_API_KEY)?.name).toBe('dev');
    expect(loadConfig({ NODE_ENV: 'production', ...CODEC }).apiKeys).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'test', ...CODEC }).apiKeys).toEqual([]);
  });

  it('parses API_KEYS from JSON and names the bad field without echoing the value', () => {
    const config = loadConfig({ NODE_ENV: 'production', ...CODEC, API_KEYS: JSON.stringify(keys) });
    expect(config.apiKeys.map((k) => k.name)).toEqual(['svc', 'dash']);
    expect(findApiKey(config.apiKeys, DEV_API_KEY)).toBeUndefined();

    expect(() => loadConfig({ API_KEYS: '[{"name":"x","sha256":"not-hex","scopes":["read"]}]' })).toThrow(/API_KEYS\.0\.sha256: must be the lower-case hex SHA-256/);
    expect(() => loadConfig({ API_KEYS: '{oops-sekrit' })).toThrow(ConfigError);
    expect(() => loadConfig({ API_KEYS: '{oops-sekrit' })).not.toThrow(/sekrit/);
    expect(() => loadConfig({ API_KEYS: '[{"name":"x","sha256":"' + 'a'.repeat(64) + '","scopes":["admin"]}]' })).toThrow(/API_KEYS\.0\.scopes\.0/);
  });

  it('needs a Standard Webhooks secret with the merchant URL', () => {
    expect(() => loadConfig({ MERCHANT_WEBHOOK_URL: 'https://merchant.example/hooks' })).toThrow(/MERCHANT_WEBHOOK_SECRET: is required when MERCHANT_WEBHOOK_URL is set/);
    expect(() => loadConfig({ MERCHANT_WEBHOOK_URL: 'https://m.example/h', MERCHANT_WEBHOOK_SECRET: 'plain' })).toThrow(/MERCHANT_WEBHOOK_SECRET: must be a Standard Webhooks secret/);
    const ok = loadConfig({ MERCHANT_WEBHOOK_URL: 'https://m.example/h', MERCHANT_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
    expect(ok.MERCHANT_WEBHOOK_URL).toBe('https://m.example/h');
  });
});
