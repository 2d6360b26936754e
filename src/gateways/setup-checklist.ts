import type { Gateway } from '../shared/gateway-policy';

/** One thing to do in the gateway's dashboard; `id` is stable so a UI can remember what was ticked. */
export interface ChecklistItem {
  id: string;
  text: string;
}

/**
 * The Razorpay events Chargeloop acts on in the token (recurring payments) flow it uses: payments and orders of the
 * registration link and of each renewal, refunds settling, and the customer revoking the mandate at the bank.
 * Razorpay Subscriptions events (subscription.*) never fire in this flow and are not listed.
 * Sources: https://razorpay.com/docs/webhooks/payments/, https://razorpay.com/docs/webhooks/refunds/,
 * https://razorpay.com/docs/api/payments/recurring-payments/webhooks/
 */
export const RAZORPAY_WEBHOOK_EVENTS = [
  'payment.captured',
  'payment.failed',
  'order.paid',
  'invoice.paid',
  'refund.processed',
  'refund.failed',
  'token.cancelled',
  'token.paused',
  'token.rejected',
] as const;

/**
 * What a merchant must do in the gateway's dashboard; Chargeloop cannot do it through the API.
 * Source: shared/seeds (the systeme.io setup guides Chargeloop reproduces).
 */
export function setupChecklist(gateway: Gateway, webhookUrl: string): ChecklistItem[] {
  switch (gateway) {
    case 'paystack':
      return [
        { id: 'webhook-url', text: `Settings → API Keys & Webhooks: paste the webhook URL ${webhookUrl} (test and live modes have separate URLs).` },
        { id: 'subaccount', text: 'Payments → Subaccounts: create a subaccount with your bank details and put its code in the connection (keys.subaccountCode).' },
        { id: 'international-payments', text: 'Optional: to bill in USD, have Paystack enable international payments, then set flags.internationalPayments.' },
      ];
    case 'flutterwave':
      return [
        { id: 'webhook-url', text: `Settings → Webhooks: paste the webhook URL ${webhookUrl} and the secret hash (keys.webhookSecretHash).` },
        { id: 'json-responses', text: 'Tick "Receive webhook response in JSON format".' },
        { id: 'webhook-retries', text: 'Tick "Enable webhook retries".' },
        { id: 'failed-transaction-webhooks', text: 'Tick "Enable webhook for failed transactions".' },
        { id: 'v3-webhooks', text: 'Tick "Enable V3 webhooks".' },
        { id: 'refunds', text: 'Optional: refunds are disabled by default; ask Flutterwave support to enable them, then set flags.refundsEnabled.' },
      ];
    case 'razorpay':
      return [
        { id: 'webhook-url', text: `Settings → Webhooks → Add New Webhook: paste the webhook URL ${webhookUrl} and the webhook secret (keys.webhookSecret).` },
        ...RAZORPAY_WEBHOOK_EVENTS.map((e) => ({ id: `event:${e}`, text: `Tick the ${e} event.` })),
      ];
  }
}
