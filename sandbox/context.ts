import type { Request } from 'express';
import type { GatewayConnection, GatewayConnections } from '../src/gateways/connections';
import type { SandboxState } from './state';
import type { WebhookSender } from './webhook-sender';

/** What every fake gateway needs: books, webhooks, ids and a clock for asynchronous steps such as refunds. */
export interface SandboxContext {
  connections: GatewayConnections;
  state: SandboxState;
  sender: WebhookSender;
  id: (prefix: string, length?: number) => string;
  /** Base URL customers' browsers use for checkout links; the request's own host unless configured. */
  publicUrl: (req: Request) => string;
  /** Run later on the sandbox clock (scaled like webhook retries); cleared when the sandbox stops. */
  later: (ms: number, fn: () => void) => void;
  now: () => Date;
}

export const connectionsOf = (ctx: SandboxContext, gateway: GatewayConnection['gateway']): GatewayConnection[] =>
  [...ctx.connections.values()].filter((c) => c.gateway === gateway);

/** A request field as text; objects and arrays (never valid here) become ''. */
export const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
