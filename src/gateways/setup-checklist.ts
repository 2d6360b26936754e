import type { Gateway } from '../shared/gateway-policy';

/**
 * What a merchant must do in the gateway's dashboard; Chargeloop cannot do it through the API.
 * Source: shared/seeds (the systeme.io setup guides Chargeloop reproduces).
 */
export function setupChecklist(gateway: Gateway, webhookUrl: string): string[] {
  switch (gateway) {
    case 'paystack':
      return [
        `Settings → API Keys & Webhooks: paste the webhook URL ${webhookUrl} (test and live modes have separate URLs).`,
        'Payments → Subaccounts: create a subaccount with your bank details and put its code in the connection (keys.subaccountCode).',
        'To bill in USD, enable international payments with Paystack and set flags.internationalPayments.',
      ];
    case 'flutterwave':
      return [
        `Settings → Webhooks: paste the webhook URL ${webhookUrl} and the secret hash (keys.webhookSecretHash).`,
        'Tick "Receive webhook response in JSON format".',
        'Tick "Enable webhook retries".',
        'Tick "Enable webhook for failed transactions".',
        'Tick "Enable V3 webhooks".',
        'Refunds are disabled by default: ask Flutterwave support to enable them, then set flags.refundsEnabled.',
      ];
    case 'razorpay':
      return [
        `Settings → Webhooks → Add New Webhook: paste the webhook URL ${webhookUrl} and the webhook secret (keys.webhookSecret).`,
        ...RAZORPAY_WEBHOOK_EVENTS.map((e) => `Tick the ${e} event.`),
      ];
  }
}

/** The 17 events the Razorpay seed asks the merchant to tick. */
export const RAZORPAY_WEBHOOK_EVENTS = [
  'payment.authorized',
  'payment.failed',
  'payment.captured',
  'order.paid',
  'invoice.paid',
  'subscription.authenticated',
  'subscription.paused',
  'subscription.resumed',
  'subscription.activated',
  'subscription.pending',
  'subscription.halted',
  'subscription.charged',
  'subscription.cancelled',
  'subscription.completed',
  'subscription.updated',
  'refund.processed',
  'refund.created',
] as const;
