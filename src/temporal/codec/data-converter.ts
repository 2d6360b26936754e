import type { DataConverter } from '@temporalio/common';
import type { Config } from '../../config';
import { AesGcmPayloadCodec } from './aes-gcm-codec';

/**
 * The one data converter of every Temporal client and worker Chargeloop builds (API, worker, codec server, tests):
 * the SDK's default JSON payload converter, then AES-256-GCM. Inputs, results, signals, updates, queries, activity
 * inputs and outputs, memos and failure details all pass through payload codecs; search attributes do not (they must
 * stay readable by visibility), which is why they carry ids only, never customer data.
 */
export function codecFromConfig(config: Pick<Config, 'codec'>): AesGcmPayloadCodec {
  return new AesGcmPayloadCodec(config.codec.keys, config.codec.currentKeyId);
}

export function chargeloopDataConverter(config: Pick<Config, 'codec'>): DataConverter {
  return { payloadCodecs: [codecFromConfig(config)] };
}
