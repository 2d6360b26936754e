import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayEvent } from '../shared/gateway-events';
import type { GatewayConnection } from './connections';

export interface NormalizedWebhook {
  /** Same for every delivery of one gateway event; the route's in-process cache skips repeats. */
  dedupeKey: string;
  /** Domain events to signal; empty for event types Chargeloop does not use. */
  events: GatewayEvent[];
  /** Why nothing is signalled, for the log line. */
  ignoredReason?: string;
}

/** One gateway's webhook edge: authenticate the raw bytes, then map the parsed payload to domain events. */
export interface WebhookAdapter {
  verify(rawBody: Buffer, headers: IncomingHttpHeaders, connection: GatewayConnection): boolean;
  normalize(payload: unknown, headers: IncomingHttpHeaders): NormalizedWebhook;
}
