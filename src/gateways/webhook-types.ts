import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayEvent } from '../shared/gateway-events';
import type { GatewayConnection } from './connections';

export interface NormalizedWebhook {
  /**
   * Same for every delivery of one gateway event; the route's in-process cache skips repeats. Derived from the
   * signed body only (see signedIdentity), at most 128 ASCII characters.
   */
  dedupeKey: string;
  /** Domain events to signal; empty for event types Chargeloop does not use. */
  events: GatewayEvent[];
  /** Why nothing is signalled, for the log line. */
  ignoredReason?: string;
}

/**
 * One gateway's webhook edge: authenticate the raw bytes, map the parsed payload to domain events, and (for the
 * bench and tests) sign a body exactly as the gateway does, so verify and sign are one mechanism side by side.
 */
export interface WebhookAdapter {
  /** True when any configured secret (current or previous, during rotation) authenticates the body. */
  verify(rawBody: Buffer, headers: IncomingHttpHeaders, connection: GatewayConnection): boolean;
  /** `headers` is accepted for interface stability; no header outside the signature is used. */
  normalize(payload: unknown, headers?: IncomingHttpHeaders): NormalizedWebhook;
  /** The headers the gateway would send with this body, signed with the connection's current secret. */
  sign(rawBody: Buffer | string, connection: GatewayConnection): Record<string, string>;
}
