import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { canonicalJson } from '../shared/canonical-json';

/**
 * The update Temporal accepted under `updateId` in this workflow's current run: its name and arguments, read back
 * from history. Used to tell an idempotent retry (same name and arguments) from a key reused for another request,
 * because Temporal's own dedupe by update id would silently return the first result for both.
 */
export async function acceptedUpdate(
  client: Client,
  workflowId: string,
  updateId: string,
): Promise<{ name: string; argsJson: string } | undefined> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  for (const event of history.events ?? []) {
    const request = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
    if (request?.meta?.updateId !== updateId) continue;
    let payloads = (request.input?.args?.payloads ?? []) as Payload[];
    const { payloadCodecs, payloadConverter } = client.options.loadedDataConverter;
    for (const codec of [...payloadCodecs].reverse()) payloads = await codec.decode(payloads);
    return { name: request.input?.name ?? '', argsJson: canonicalJson(payloads.map((p) => payloadConverter.fromPayload(p))) };
  }
  return undefined;
}
