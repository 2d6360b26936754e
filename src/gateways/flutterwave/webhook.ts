import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayEvent } from '../../shared/gateway-events';
import { fromMajorUnits, type Currency } from '../../shared/money';
import type { GatewayConnection } from '../connections';
import { signedIdentity } from '../identity';
import { anyMatches, hmacBase64, headerValue } from '../signatures';
import type { NormalizedWebhook, WebhookAdapter } from '../webhook-types';
import { V3EventSchema, V4EventSchema } from './wire';

const hashesOf = (c: GatewayConnection): string[] =>
  c.gateway === 'flutterwave' ? [c.keys.webhookSecretHash, c.keys.previousWebhookSecretHash].filter((s): s is string => !!s) : [];

/**
 * v3 sends the secret hash itself in `verif-hash`. v4's `flutterwave-signature` is documented both as
 * base64(HMAC-SHA256(raw, hash)) and as the hash itself, so both are accepted. `verif-hash` does not sign the
 * body: charge events are marked needsVerification and confirmed through the verify API before they count.
 * The previous hash still counts while the dashboard's hash is being changed.
 */
export function verify(rawBody: Buffer, headers: IncomingHttpHeaders, connection: GatewayConnection): boolean {
  const hashes = hashesOf(connection);
  const verifHash = headerValue(headers, 'verif-hash');
  const signature = headerValue(headers, 'flutterwave-signature');
  const byVerifHash = verifHash !== undefined && anyMatches(hashes, verifHash);
  const bySignature = signature !== undefined && anyMatches([...hashes.map((h) => hmacBase64('sha256', h, rawBody)), ...hashes], signature);
  return byVerifHash || bySignature;
}

/** What Flutterwave v3 sends: the dashboard's secret hash in `verif-hash` (it signs nothing). */
export function sign(_rawBody: Buffer | string, connection: GatewayConnection): Record<string, string> {
  if (connection.gateway !== 'flutterwave') throw new TypeError(`not a Flutterwave connection: ${connection.id}`);
  return { 'verif-hash': connection.keys.webhookSecretHash };
}

interface Charge {
  eventId: string;
  transactionId: string;
  reference: string;
  status: 'succeeded' | 'failed' | 'other';
  amount?: number | string;
  currency?: Currency;
  at?: string | null;
}

/**
 * The body is not signed (v3), so the event says only "go and verify this transaction": a failure carries no
 * gateway text (which could be forged), and the verify API's answer decides.
 */
function toEvent(c: Charge): GatewayEvent | undefined {
  const base = { eventId: c.eventId, gateway: 'flutterwave' as const, reference: c.reference, needsVerification: true };
  if (c.status === 'failed') return { ...base, type: 'charge.failed', reason: 'charge failed (to be verified)' };
  if (c.status !== 'succeeded' || c.amount === undefined || !c.currency) return undefined;
  return {
    ...base,
    type: 'charge.succeeded',
    gatewayTransactionId: c.transactionId,
    amount: { amount: fromMajorUnits(c.amount, c.currency), currency: c.currency },
    paidAt: c.at ?? new Date().toISOString(),
  };
}

function parseCharge(payload: unknown): { kind: string; dedupeKey: string; charge?: Charge } | undefined {
  const v3 = V3EventSchema.safeParse(payload);
  if (v3.success) {
    const d = v3.data.data;
    const dedupeKey = signedIdentity('flutterwave', v3.data.event, d.id, d.status);
    const status = d.status === 'successful' ? 'succeeded' : d.status === 'failed' ? 'failed' : 'other';
    if (v3.data.event !== 'charge.completed' || !d.tx_ref) return { kind: v3.data.event, dedupeKey };
    return { kind: v3.data.event, dedupeKey, charge: { eventId: dedupeKey, transactionId: d.id, reference: d.tx_ref, status, amount: d.amount, currency: d.currency, at: d.created_at } };
  }
  const v4 = V4EventSchema.safeParse(payload);
  if (v4.success) {
    const d = v4.data.data;
    const dedupeKey = signedIdentity('flutterwave', v4.data.type, d.id, d.status);
    const status = d.status === 'succeeded' ? 'succeeded' : d.status === 'failed' ? 'failed' : 'other';
    if (v4.data.type !== 'charge.completed') return { kind: v4.data.type, dedupeKey };
    return { kind: v4.data.type, dedupeKey, charge: { eventId: dedupeKey, transactionId: d.id, reference: d.reference, status, amount: d.amount, currency: d.currency } };
  }
  return undefined;
}

export function normalize(payload: unknown): NormalizedWebhook {
  const parsed = parseCharge(payload);
  if (!parsed) return { dedupeKey: 'flutterwave:unparseable', events: [], ignoredReason: 'not a Flutterwave event envelope' };
  if (!parsed.charge) return { dedupeKey: parsed.dedupeKey, events: [], ignoredReason: `event type ${parsed.kind} is not used by Chargeloop` };
  const event = toEvent(parsed.charge);
  return event
    ? { dedupeKey: parsed.dedupeKey, events: [event] }
    : { dedupeKey: parsed.dedupeKey, events: [], ignoredReason: `charge status ${parsed.charge.status} needs no action` };
}

export const flutterwaveWebhook: WebhookAdapter = { verify, normalize, sign };
