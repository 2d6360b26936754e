import { createHash } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { cardLookupKey } from '../../gateways/card-key';
import type { GatewayConnections } from '../../gateways/connections';
import { WEBHOOK_ADAPTERS } from '../../gateways/webhooks';
import type { GatewayEvent } from '../../shared/gateway-events';
import { GATEWAYS, type Gateway } from '../../shared/gateway-policy';
import { subscriptionIdFromReference } from '../../shared/ids';
import type { SubscriptionsFacade } from '../../temporal/subscriptions';
import { sendProblem } from '../middleware/errors';
import { Problem } from '../problem';
import { DedupeCache } from './dedupe-cache';
import { consoleRouteLogger, type RouteLogger } from './route-logger';

export interface WebhooksRouterDeps {
  connections: GatewayConnections;
  /** Signals the subscription's workflow (`signal` resolves once Temporal accepted it): the API's Temporal facade. */
  subscriptions: Pick<SubscriptionsFacade, 'signal'> & Partial<Pick<SubscriptionsFacade, 'findByCardKey'>>;
  logger?: RouteLogger;
  /** Largest accepted body; gateways send a few kilobytes. */
  bodyLimit?: string;
}

/**
 * Longest event id the route passes to a workflow. Ids become workflow dedupe state carried across continue-as-new;
 * an unbounded one (e.g. from an unsigned header) can push that state past Temporal's limits.
 */
export const MAX_EVENT_ID_LENGTH = 128;
const isBoundedId = (id: string): boolean => id.length > 0 && id.length <= MAX_EVENT_ID_LENGTH && /^[\x21-\x7e]+$/.test(id);

/**
 * The subscriptions an event belongs to. Charge and refund events carry Chargeloop's reference, which names its
 * subscription. A revoked card (Razorpay `token.*`) names only the token: its subscriptions are found by the card's
 * lookup key in visibility (the `CardLookupKey` search attribute, a digest of the token), and each workflow checks
 * the token against its own stored card before acting, so a stale or colliding row changes nothing.
 */
async function subscriptionsOf(deps: WebhooksRouterDeps, event: GatewayEvent): Promise<string[]> {
  if (event.type === 'card.revoked') return deps.subscriptions.findByCardKey ? deps.subscriptions.findByCardKey(cardLookupKey(event.gateway, event.token)) : [];
  const reference = event.type.startsWith('refund.') && 'chargeReference' in event && event.chargeReference ? event.chargeReference : event.reference;
  const id = subscriptionIdFromReference(reference) ?? subscriptionIdFromReference(event.reference);
  return id ? [id] : [];
}

const isGateway = (value: string): value is Gateway => (GATEWAYS as readonly string[]).includes(value);
/** WorkflowNotFoundError from @temporalio/client, matched by name so this route does not need the client package. */
const isWorkflowNotFound = (err: unknown): boolean => err instanceof Error && err.name === 'WorkflowNotFoundError';

/**
 * `POST /webhooks/:gateway/:connectionId`: raw body → verify → parse → normalize → signal → 200.
 * 200 only after every signal was accepted; 503 when Temporal did not accept one, so the gateway redelivers.
 */
export function createWebhooksRouter(deps: WebhooksRouterDeps): Router {
  const log = deps.logger ?? consoleRouteLogger;
  const cache = new DedupeCache();
  const router = Router();

  // The connection is checked before the body is read, so unknown URLs cost nothing.
  router.post('/webhooks/:gateway/:connectionId', (req: Request, res: Response, next: NextFunction) => {
    const { gateway, connectionId } = req.params as { gateway: string; connectionId: string };
    const connection = deps.connections.get(connectionId);
    if (!isGateway(gateway) || !connection || connection.gateway !== gateway) {
      sendProblem(res, new Problem(404, 'Unknown webhook endpoint', `no ${gateway} connection named "${connectionId}"`));
      return;
    }
    res.locals.connection = connection;
    next();
  });

  // Raw bytes on these routes only: signatures cover the exact body, which re-serialised JSON would not match.
  router.post('/webhooks/:gateway/:connectionId', express.raw({ type: () => true, limit: deps.bodyLimit ?? '256kb' }), async (req: Request, res: Response) => {
    const connection = (res.locals as { connection: NonNullable<ReturnType<GatewayConnections['get']>> }).connection;
    const adapter = WEBHOOK_ADAPTERS[connection.gateway];
    if (req.body !== undefined && !Buffer.isBuffer(req.body) && !(typeof req.body === 'object' && Object.keys(req.body as object).length === 0)) {
      // A JSON parser ran first: the exact bytes are gone and no signature can be checked. A wiring bug, not the gateway's.
      log.error({ gateway: connection.gateway, connectionId: connection.id }, 'webhook body already parsed: mount the webhooks router before express.json()');
      sendProblem(res, new Problem(500, 'Webhook endpoint misconfigured', 'the webhook body was consumed before signature verification'));
      return;
    }
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const ctx = { gateway: connection.gateway, connectionId: connection.id };

    if (!adapter.verify(raw, req.headers, connection)) {
      log.warn(ctx, 'webhook rejected: missing or invalid signature');
      sendProblem(res, new Problem(401, 'Invalid webhook signature', 'the signature header is missing or does not match this connection'));
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      sendProblem(res, new Problem(400, 'Malformed webhook body', 'the body is not valid JSON'));
      return;
    }

    let normalized;
    try {
      normalized = adapter.normalize(payload, req.headers);
    } catch (err) {
      // Signed but unusable (e.g. an amount with impossible precision): retrying would not change it.
      log.error({ ...ctx, error: (err as Error).message }, 'webhook ignored: could not normalize');
      res.status(200).json({ received: true, ignored: true });
      return;
    }
    // Keyed per connection: two merchant accounts never share a dedupe entry. Two keys, both from what the signature
    // covers: the exact body (a replay of one signed body under new header ids is the same delivery), and the
    // adapter's dedupe key only when every event came from a signed body. A `needsVerification` event (Flutterwave's
    // verif-hash does not sign the body) may be forged, so its key must not make a later real delivery look done.
    const bodyKey = `${connection.id}:body:${createHash('sha256').update(raw).digest('base64url')}`;
    const trustedKey =
      normalized.events.length > 0 && normalized.events.every((e) => !('needsVerification' in e && e.needsVerification)) && isBoundedId(normalized.dedupeKey)
        ? `${connection.id}:key:${normalized.dedupeKey}`
        : undefined;
    if (cache.has(bodyKey) || (trustedKey !== undefined && cache.has(trustedKey))) {
      log.info({ ...ctx, dedupeKey: normalized.dedupeKey.slice(0, MAX_EVENT_ID_LENGTH) }, 'webhook duplicate skipped');
      res.status(200).json({ received: true, duplicate: true });
      return;
    }
    if (normalized.events.length === 0) log.info({ ...ctx, dedupeKey: normalized.dedupeKey.slice(0, MAX_EVENT_ID_LENGTH), reason: normalized.ignoredReason }, 'webhook ignored');

    let signalled = 0;
    for (const event of normalized.events) {
      if (!isBoundedId(event.eventId)) {
        // Not signalled and not cached: the gateway's retry reaches a fixed adapter; nothing unbounded reaches a workflow.
        log.warn({ ...ctx, eventIdLength: event.eventId.length }, `webhook ignored: event id is not 1-${MAX_EVENT_ID_LENGTH} printable ASCII characters`);
        continue;
      }
      let subscriptionIds: string[];
      try {
        subscriptionIds = await subscriptionsOf(deps, event);
      } catch (err) {
        log.error({ ...ctx, eventId: event.eventId, error: (err as Error).message }, 'webhook subscription lookup failed; asking the gateway to retry');
        sendProblem(res, new Problem(503, 'Temporarily unable to process webhook', 'the event was not recorded; please retry'));
        return;
      }
      if (subscriptionIds.length === 0) {
        // A card.revoked event's reference is the stored card's token: never logged.
        const what = event.type === 'card.revoked' ? {} : { reference: event.reference };
        log.info({ ...ctx, eventId: event.eventId, ...what }, 'webhook ignored: reference belongs to no Chargeloop subscription');
        continue;
      }
      for (const subscriptionId of subscriptionIds) {
        try {
          await deps.subscriptions.signal(subscriptionId, event);
          signalled++;
          log.info({ ...ctx, eventId: event.eventId, subscriptionId, type: event.type }, 'webhook signalled');
        } catch (err) {
          if (isWorkflowNotFound(err)) {
            log.info({ ...ctx, eventId: event.eventId, subscriptionId }, 'webhook ignored: no running workflow for this subscription');
            continue;
          }
          log.error({ ...ctx, eventId: event.eventId, subscriptionId, error: (err as Error).message }, 'webhook not signalled; asking the gateway to retry');
          sendProblem(res, new Problem(503, 'Temporarily unable to process webhook', 'the event was not recorded; please retry'));
          return;
        }
      }
    }
    // Only what was signalled is remembered: an ignored event (foreign reference, no workflow, unusable id) leaves
    // nothing that could make a later delivery look like a duplicate.
    if (signalled > 0) {
      cache.add(bodyKey);
      if (trustedKey !== undefined) cache.add(trustedKey);
    }
    res.status(200).json(signalled > 0 ? { received: true } : { received: true, ignored: true });
  });

  // body-parser errors (413 too large, 400 aborted/bad encoding) as problem+json instead of Express's HTML page.
  router.use('/webhooks', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status = (err as { status?: number }).status;
    if (status === 413) return sendProblem(res, new Problem(413, 'Webhook body too large', `the limit is ${deps.bodyLimit ?? '256kb'}`));
    if (status !== undefined && status >= 400 && status < 500) return sendProblem(res, new Problem(status, 'Unreadable webhook body', 'the body could not be read'));
    next(err);
  });
  return router;
}
