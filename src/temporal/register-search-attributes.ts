import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { loadConfig } from '../config';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../shared/search-attributes';

const { IndexedValueType } = temporal.api.enums.v1;
const TYPES: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/** `addSearchAttributes` arguments for the named attributes (all of Chargeloop's by default). */
export function searchAttributesRequest(
  namespace: string,
  names: string[] = Object.keys(SEARCH_ATTRIBUTE_CLI_TYPES),
): temporal.api.operatorservice.v1.IAddSearchAttributesRequest {
  return { namespace, searchAttributes: Object.fromEntries(names.map((name) => [name, TYPES[SEARCH_ATTRIBUTE_CLI_TYPES[name]!]!])) };
}

/** Registers Chargeloop's custom search attributes that the namespace lacks; safe to run on every deploy. */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = Object.keys(SEARCH_ATTRIBUTE_CLI_TYPES).filter((name) => !(name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes(searchAttributesRequest(namespace, missing));
  return missing;
}

if (require.main === module) {
  const config = loadConfig();
  (async () => {
    // The server may still be starting (docker-compose): retry the connection for a minute.
    for (let attempt = 1; ; attempt++) {
      try {
        const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
        const added = await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
        console.log(added.length ? `registered search attributes: ${added.join(', ')}` : 'search attributes already registered');
        await connection.close();
        return;
      } catch (err) {
        if (attempt >= 30) throw err;
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  })().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
