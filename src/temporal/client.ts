import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';
import { chargeloopDataConverter } from './codec/data-converter';

/**
 * A Temporal client for the API process, encrypting every payload (src/temporal/codec). The connection is lazy so
 * the API can start (and report not-ready) while Temporal is down.
 */
export async function createTemporalClient(config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'codec'>): Promise<Client> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: '5s' }).catch(() =>
    Connection.lazy({ address: config.TEMPORAL_ADDRESS }),
  );
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: chargeloopDataConverter(config) });
}
