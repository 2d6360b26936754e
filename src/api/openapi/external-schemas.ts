import { z } from 'zod';
import { GATEWAYS } from '../../shared/gateway-policy';
import { CurrencySchema } from '../../shared/money';

/**
 * Response shapes of the gateway edge (issue 4: `/v1/gateways`, `/webhooks/...`), described here so the document
 * covers every route the integrated app serves. Documentation only: those routers build their own responses.
 */
export const GatewayConnectionViewSchema = z.object({
  id: z.string(),
  gateway: z.enum(GATEWAYS),
  mode: z.enum(['test', 'live']),
  baseUrl: z.string(),
  currencies: z.array(CurrencySchema),
  flags: z.record(z.string(), z.boolean()),
  keys: z.record(z.string(), z.literal('set')).describe('Which keys are configured; never their values.'),
  webhookUrl: z.string().describe('The URL to paste into the gateway dashboard.'),
  status: z.looseObject({}).describe('Whether the credentials were accepted by the gateway, and when that was checked.'),
  setupChecklist: z.array(z.looseObject({})).describe('Dashboard steps for this gateway.'),
});

export const GatewayConnectionListSchema = z.object({ data: z.array(GatewayConnectionViewSchema) });

export const WebhookAckSchema = z.object({
  received: z.literal(true),
  duplicate: z.boolean().optional(),
  ignored: z.boolean().optional(),
});
