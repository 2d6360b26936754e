import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/** The metadata encoding of an encrypted payload; anything else is passed through untouched. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

/** A named AES-256 key (32 bytes). Ids are written into each payload, so rotating never strands old data. */
export interface CodecKey {
  id: string;
  key: Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const metadataString = (payload: Payload, name: string): string | undefined => {
  const value = payload.metadata?.[name];
  return value ? decoder.decode(value) : undefined;
};

/**
 * AES-256-GCM over the whole serialized Payload (metadata included, so even the encoding of the inner value is
 * hidden). Encrypts with `current`, decrypts with any configured key by the id stored beside the ciphertext. The key
 * id is authenticated as additional data: swapping it on a ciphertext fails decryption instead of trying another key.
 *
 * Decode passes through payloads that were never encrypted: histories recorded before the codec existed (and
 * workers or clients without it in tests) keep replaying.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(
    keys: readonly CodecKey[],
    private readonly currentKeyId: string,
  ) {
    if (keys.length === 0) throw new Error('AesGcmPayloadCodec: at least one key is required');
    for (const k of keys) if (k.key.length !== 32) throw new Error(`AesGcmPayloadCodec: key "${k.id}" must be 32 bytes`);
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
    if (!this.keys.has(currentKeyId)) throw new Error(`AesGcmPayloadCodec: current key "${currentKeyId}" is not configured`);
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(payloads.map((payload) => this.encrypt(payload)));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    try {
      return Promise.resolve(payloads.map((payload) => (metadataString(payload, METADATA_ENCODING_KEY) === ENCRYPTED_ENCODING ? this.decrypt(payload) : payload)));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private encrypt(payload: Payload): Payload {
    const key = this.keys.get(this.currentKeyId)!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(this.currentKeyId, 'utf8'));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { [METADATA_ENCODING_KEY]: encoder.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: encoder.encode(this.currentKeyId) },
      data,
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyId = metadataString(payload, KEY_ID_METADATA);
    const key = keyId !== undefined ? this.keys.get(keyId) : undefined;
    // Name the id, never the key: the operator needs to know which key to configure.
    if (keyId === undefined || !key) throw new Error(`cannot decrypt payload: encryption key "${keyId ?? '(none)'}" is not configured`);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new Error('cannot decrypt payload: ciphertext too short');
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(keyId, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    return temporal.api.common.v1.Payload.decode(plain);
  }
}
