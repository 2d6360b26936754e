import { createHash } from 'node:crypto';
import type { CodecKey } from './aes-gcm-codec';

export interface CodecSettings {
  keys: readonly CodecKey[];
  currentKeyId: string;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The development key: fixed (so `.data/` histories stay readable across `npm run dev` runs) and public, so it is
 * accepted only when NODE_ENV=development and CODEC_KEYS is unset.
 */
export const DEV_CODEC_KEYS: CodecSettings = Object.freeze({
  keys: Object.freeze([{ id: 'dev', key: createHash('sha256').update('chargeloop development codec key, public').digest() }]),
  currentKeyId: 'dev',
});

/** `id:base64,id:base64` → keys; a message (never holding key material) when the value is unusable. */
export function parseCodecKeys(value: string, currentKeyId?: string): CodecSettings | string {
  const keys: CodecKey[] = [];
  for (const entry of value.split(',').map((e) => e.trim()).filter(Boolean)) {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    if (!KEY_ID.test(id)) return 'each entry must be id:base64 with an id of 1-64 letters, digits, ".", "_" or "-"';
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (key.length !== 32) return `key "${id}" must be 32 bytes, base64-encoded`;
    if (keys.some((k) => k.id === id)) return `key id "${id}" is listed twice`;
    keys.push({ id, key });
  }
  if (keys.length === 0) return 'must list at least one key';
  const current = currentKeyId && currentKeyId.trim() !== '' ? currentKeyId : keys[keys.length - 1]!.id;
  if (!keys.some((k) => k.id === current)) return `CODEC_KEY_ID names "${current}", which CODEC_KEYS does not list`;
  return { keys, currentKeyId: current };
}
