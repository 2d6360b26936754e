import type { Gateway } from '../shared/gateway-policy';
import { flutterwaveWebhook } from './flutterwave/webhook';
import { paystackWebhook } from './paystack/webhook';
import { razorpayWebhook } from './razorpay/webhook';
import type { WebhookAdapter } from './webhook-types';

export const WEBHOOK_ADAPTERS: Readonly<Record<Gateway, WebhookAdapter>> = {
  paystack: paystackWebhook,
  flutterwave: flutterwaveWebhook,
  razorpay: razorpayWebhook,
};
