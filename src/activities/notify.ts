import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { Webhook } from 'standardwebhooks';
import { MerchantEventSchema, NotifyErrors, type MerchantDelivery, type MerchantEvent } from '../shared/merchant-events';
import type { SubscriptionActivities } from './types';

export interface MerchantEndpoint {
  url: string;
  /** Standard Webhooks secret, `whsec_<base64>`. Never logged, never part of an error message. */
  secret: string;
}

export interface NotifyActivityDeps {
  /** Undefined when the merchant configured no endpoint: events are recorded in history and skipped. */
  endpoint?: MerchantEndpoint;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Per attempt; the activity's startToCloseTimeout should be longer. */
  timeoutMs?: number;
}

type Notify = Pick<SubscriptionActivities, 'notifyMerchant'>;

type LogInfo = (message: string, attrs: Record<string, unknown>) => void;

/** Attempt number, cancellation signal and logger when running as an activity; plain defaults when called directly. */
function activityContext(): { attempt: number; signal?: AbortSignal; info: LogInfo } {
  try {
    const ctx = Context.current();
    return { attempt: ctx.info.attempt, signal: ctx.cancellationSignal, info: (m, a) => void ctx.log.info(m, a) };
  } catch {
    return { attempt: 1, info: (m, a) => console.log(JSON.stringify({ level: 'info', msg: m, ...a })) };
  }
}

const retryAfterMs = (header: string | null): number | undefined => {
  const seconds = header === null ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 3600) * 1000 : undefined;
};

/**
 * notifyMerchant over an injected endpoint. Each attempt POSTs the event JSON signed per Standard Webhooks:
 * `webhook-id` is the event's stable id (the same on every retry, so the merchant can dedupe), `webhook-timestamp` the
 * attempt's time, `webhook-signature` the HMAC of both and the body. Anything but a 2xx throws, so Temporal retries
 * with the workflow's backoff (NOTIFY_MERCHANT_ACTIVITY_OPTIONS).
 */
export function createNotifyActivities(deps: NotifyActivityDeps): Notify {
  const fetchFn = deps.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const signer = deps.endpoint ? new Webhook(deps.endpoint.secret) : undefined;
  // The host only: a URL may carry a token in its path or query.
  const host = deps.endpoint ? new URL(deps.endpoint.url).host : '';

  return {
    /** Deliver one merchant event, signed; throws on failure so Temporal retries. */
    async notifyMerchant(raw: MerchantEvent): Promise<MerchantDelivery> {
      const parsed = MerchantEventSchema.safeParse(raw);
      if (!parsed.success) throw ApplicationFailure.nonRetryable(`invalid merchant event: ${parsed.error.issues[0]?.message ?? 'schema mismatch'}`, NotifyErrors.InvalidEvent);
      const event = parsed.data;
      const { attempt, signal, info } = activityContext();
      if (!deps.endpoint || !signer) {
        info('merchant webhook not configured: event recorded in history and skipped', { eventId: event.id, type: event.type });
        return { eventId: event.id, status: 'skipped', attempt, reason: 'MERCHANT_WEBHOOK_URL is not configured' };
      }

      const body = JSON.stringify(event);
      const now = new Date();
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Chargeloop-Webhooks/1.0',
        'webhook-id': event.id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signer.sign(event.id, now, body),
      };
      const timeout = AbortSignal.timeout(deps.timeoutMs ?? 10_000);
      let response: Response;
      try {
        response = await fetchFn(deps.endpoint.url, { method: 'POST', headers, body, signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'error' });
      } catch (err) {
        throw ApplicationFailure.retryable(`merchant endpoint ${host} unreachable: ${(err as Error).message}`, NotifyErrors.DeliveryFailed);
      }
      // Drain the body so the connection can be reused; its content is the merchant's and is not recorded.
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) {
        const delay = response.status === 429 || response.status === 503 ? retryAfterMs(response.headers.get('retry-after')) : undefined;
        throw ApplicationFailure.create({
          type: NotifyErrors.DeliveryFailed,
          message: `merchant endpoint ${host} answered ${response.status} to event ${event.id}`,
          ...(delay ? { nextRetryDelay: delay } : {}),
        });
      }
      return { eventId: event.id, status: 'delivered', attempt, httpStatus: response.status };
    },
  };
}
