import { randomBytes } from 'node:crypto';
import { DefaultPayloadConverter } from '@temporalio/common';
import { ConfigError, loadConfig } from '../../src/config';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING } from '../../src/temporal/codec/aes-gcm-codec';
import { DEV_CODEC_KEYS } from '../../src/temporal/codec/codec-keys';

const converter = new DefaultPayloadConverter();
const secretInput = { customer: { email: 'ada@example.com' }, card: { token: 'AUTH_secret_token_1' } };
const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const text = (u8: Uint8Array | null | undefined): string => Buffer.from(u8 ?? new Uint8Array()).toString('latin1');

describe('AES-256-GCM payload codec', () => {
  it('encrypts the whole payload: no customer data or inner encoding is readable', async () => {
    const codec = new AesGcmPayloadCodec([k1], 'k1');
    const [encoded] = await codec.encode([converter.toPayload(secretInput)]);
    expect(text(encoded!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encoded!.data)).not.toContain('ada@example.com');
    expect(text(encoded!.data)).not.toContain('AUTH_secret_token_1');
    expect(text(encoded!.data)).not.toContain('json/plain');
    const [decoded] = await codec.decode([encoded!]);
    expect(converter.fromPayload(decoded!)).toEqual(secretInput);
  });

  it('rotates: encrypts with the newest key, still decrypts what older keys wrote', async () => {
    const old = new AesGcmPayloadCodec([k1], 'k1');
    const rotated = new AesGcmPayloadCodec([k1, k2], 'k2');
    const [byOld] = await old.encode([converter.toPayload('before rotation')]);
    const [byNew] = await rotated.encode([converter.toPayload('after rotation')]);
    expect(text(byNew!.metadata!['encryption-key-id'])).toBe('k2');
    expect((await rotated.decode([byOld!, byNew!])).map((p) => converter.fromPayload(p))).toEqual(['before rotation', 'after rotation']);
    // A process that lacks the key says which one, without any key material.
    await expect(old.decode([byNew!])).rejects.toThrow(/encryption key "k2" is not configured/);
  });

  it('passes through payloads that were never encrypted (committed histories keep replaying)', async () => {
    const codec = new AesGcmPayloadCodec([k1], 'k1');
    const plain = converter.toPayload({ recorded: 'before the codec' });
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('refuses tampered ciphertext and a swapped key id', async () => {
    const codec = new AesGcmPayloadCodec([k1, k2], 'k1');
    const [encoded] = await codec.encode([converter.toPayload('x')]);
    const flipped = Buffer.from(encoded!.data!);
    flipped[flipped.length - 1]! ^= 1;
    await expect(codec.decode([{ ...encoded!, data: flipped }])).rejects.toThrow();
    await expect(codec.decode([{ ...encoded!, metadata: { ...encoded!.metadata, 'encryption-key-id': Buffer.from('k2') } }])).rejects.toThrow();
  });
});

describe('codec keys from the environment', () => {
  it('uses the fixed development key only in development', () => {
    expect(loadConfig({}).codec).toBe(DEV_CODEC_KEYS);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/CODEC_KEYS: is required outside NODE_ENV=development/);
  });

  it('parses id:base64 keys, newest last, or the one CODEC_KEY_ID names; never echoes key material', () => {
    const value = `k1:${k1.key.toString('base64')},k2:${k2.key.toString('base64')}`;
    expect(loadConfig({ NODE_ENV: 'production', CODEC_KEYS: value }).codec.currentKeyId).toBe('k2');
    expect(loadConfig({ NODE_ENV: 'production', CODEC_KEYS: value, CODEC_KEY_ID: 'k1' }).codec.currentKeyId).toBe('k1');
    expect(() => loadConfig({ CODEC_KEYS: value, CODEC_KEY_ID: 'k9' })).toThrow(/CODEC_KEY_ID: names "k9"/);
    const short = `k1:${randomBytes(16).toString('base64')}`;
    expect(() => loadConfig({ CODEC_KEYS: short })).toThrow(/key "k1" must be 32 bytes/);
    expect(() => loadConfig({ CODEC_KEYS: short })).not.toThrow(new RegExp(short.slice(3, 12).replace(/[+/]/g, '.')));
  });
});
