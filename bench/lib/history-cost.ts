import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const { EventType } = temporal.api.enums.v1;
const { HistoryEvent } = temporal.api.history.v1;

/** What a workflow's history holds, over every run of its continue-as-new chain. */
export interface HistoryCost {
  runs: number;
  events: number;
  /** Bytes of every payload (data plus metadata), as stored: after the codec, so encrypted. */
  payloadBytes: number;
  /** Bytes of the events as the server stores them (protobuf), payloads included. */
  historyBytes: number;
  /** Events per type (EVENT_TYPE_ prefix dropped), to see where a cycle's events go. */
  byType: Record<string, number>;
}

const isPayload = (v: object): v is temporal.api.common.v1.IPayload => 'data' in v && (v as { data?: unknown }).data instanceof Uint8Array;

/** Sums the payloads anywhere inside a decoded event (inputs, results, signals, markers, memo, search attributes). */
function payloadBytesOf(value: unknown): number {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return 0;
  if (isPayload(value)) {
    const meta = Object.entries(value.metadata ?? {}).reduce((n, [k, v]) => n + k.length + (v?.length ?? 0), 0);
    return (value.data?.length ?? 0) + meta;
  }
  let sum = 0;
  for (const v of Object.values(value)) sum += payloadBytesOf(v);
  return sum;
}

/** Run ids from raw visibility: the client's list() would decode memos, which the codec encrypts. */
async function runIds(client: Client, workflowId: string): Promise<string[]> {
  const ids: string[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.listWorkflowExecutions({ namespace: client.options.namespace, query: `WorkflowId = '${workflowId}'`, nextPageToken });
    for (const e of page.executions ?? []) if (e.execution?.runId) ids.push(e.execution.runId);
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return ids;
}

/** Every run of `workflowId` (visibility lists the continued-as-new ones too), their events counted and sized. */
export async function historyCost(client: Client, workflowId: string): Promise<HistoryCost> {
  const cost: HistoryCost = { runs: 0, events: 0, payloadBytes: 0, historyBytes: 0, byType: {} };
  for (const runId of await runIds(client, workflowId)) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    cost.runs += 1;
    for (const e of history.events ?? []) {
      cost.events += 1;
      cost.payloadBytes += payloadBytesOf(e);
      cost.historyBytes += HistoryEvent.encode(e).finish().length;
      const type = (EventType[e.eventType ?? 0] ?? String(e.eventType)).replace(/^EVENT_TYPE_/, '');
      cost.byType[type] = (cost.byType[type] ?? 0) + 1;
    }
  }
  return cost;
}

/** (later - earlier) / cycles, per field: what each billing cycle between the two readings added. */
export function perCycle(earlier: HistoryCost, later: HistoryCost, cycles: number): Omit<HistoryCost, 'runs'> {
  const per = (a: number, b: number): number => Math.round(((b - a) / cycles) * 10) / 10;
  const types = new Set([...Object.keys(earlier.byType), ...Object.keys(later.byType)]);
  const byType = Object.fromEntries([...types].map((t) => [t, per(earlier.byType[t] ?? 0, later.byType[t] ?? 0)]).filter(([, n]) => n !== 0));
  return { events: per(earlier.events, later.events), payloadBytes: per(earlier.payloadBytes, later.payloadBytes), historyBytes: per(earlier.historyBytes, later.historyBytes), byType };
}
