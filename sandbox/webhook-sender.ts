import { createHmac } from 'node:crypto';
import type { SandboxAccount, SandboxGateway as Gateway } from './accounts';

type GatewayConnection = SandboxAccount;

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * Each gateway's documented redelivery schedule (delays after the first failed attempt), in real milliseconds.
 * Paystack live: every 3 min ×4 then hourly for 72 h; test: hourly for 10 h. Flutterwave: 3 retries 30 min apart
 * (with retries enabled). Razorpay: exponential backoff for 24 h.
 */
export function retrySchedule(gateway: Gateway, mode: 'test' | 'live'): number[] {
  if (gateway === 'paystack') return mode === 'live' ? [...Array<number>(4).fill(3 * MIN), ...Array<number>(72).fill(HOUR)] : Array<number>(10).fill(HOUR);
  if (gateway === 'flutterwave') return [30 * MIN, 30 * MIN, 30 * MIN];
  const delays: number[] = [];
  for (let d = MIN, total = 0; total + d <= 24 * HOUR; total += d, d *= 2) delays.push(d);
  return delays;
}

/** Per-attempt timeouts: Paystack 30 s, Flutterwave 60 s, Razorpay 5 s. */
const TIMEOUT_MS: Record<Gateway, number> = { paystack: 30_000, flutterwave: 60_000, razorpay: 5_000 };
/** Flutterwave and Paystack count only 200 as delivered; Razorpay any 2xx. */
const delivered = (gateway: Gateway, status: number): boolean => (gateway === 'razorpay' ? status >= 200 && status < 300 : status === 200);

/**
 * Headers exactly as each gateway signs, written here independently of Chargeloop's adapters (the sandbox imports
 * no production gateway code): Paystack HMAC-SHA512 with the secret key, Flutterwave verif-hash, Razorpay
 * HMAC-SHA256 (the official Razorpay SDK's validateWebhookSignature checks these in the tests) plus its event id.
 */
export function signedHeaders(connection: GatewayConnection, body: string, eventId: string): Record<string, string> {
  switch (connection.gateway) {
    case 'paystack':
      return { 'x-paystack-signature': createHmac('sha512', connection.keys.secretKey).update(body).digest('hex') };
    case 'flutterwave':
      return { 'verif-hash': connection.keys.webhookSecretHash };
    case 'razorpay':
      return { 'x-razorpay-signature': createHmac('sha256', connection.keys.webhookSecret).update(body).digest('hex'), 'x-razorpay-event-id': eventId };
  }
}

export interface DeliveryRecord {
  eventId: string;
  connectionId: string;
  event: string;
  attempt: number;
  duplicate: boolean;
  status: number | 'network_error';
  at: string;
}

export interface WebhookSenderOptions {
  webhookUrlFor: (connection: GatewayConnection) => string | undefined;
  /** Multiplies every retry delay: 1 is real time, 1/600 turns an hour into 6 s. */
  timeScale: number;
  /** Chance that a delivered event is delivered once more, as gateways do. */
  duplicateProbability: number;
  random: () => number;
}

export class WebhookSender {
  readonly deliveries: DeliveryRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly options: WebhookSenderOptions) {}

  /** Queue one event; delivery and redelivery run in the background like a real gateway's. */
  send(connection: GatewayConnection, eventId: string, event: string, payload: unknown): void {
    const url = this.options.webhookUrlFor(connection);
    if (!url) return;
    const body = JSON.stringify(payload);
    const headers = { 'content-type': 'application/json', ...signedHeaders(connection, body, eventId) };
    this.later(0, () => this.attempt({ connection, url, body, headers, eventId, event }, 1, false));
  }

  private later(ms: number, fn: () => Promise<void>): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const run = fn().finally(() => this.inFlight.delete(run));
      this.inFlight.add(run);
    }, Math.round(ms * this.options.timeScale));
    this.timers.add(timer);
  }

  private async attempt(d: { connection: GatewayConnection; url: string; body: string; headers: Record<string, string>; eventId: string; event: string }, attempt: number, duplicate: boolean): Promise<void> {
    let status: number | 'network_error';
    try {
      const res = await fetch(d.url, { method: 'POST', headers: d.headers, body: d.body, signal: AbortSignal.timeout(TIMEOUT_MS[d.connection.gateway]) });
      await res.arrayBuffer();
      status = res.status;
    } catch {
      status = 'network_error';
    }
    this.deliveries.push({ eventId: d.eventId, connectionId: d.connection.id, event: d.event, attempt, duplicate, status, at: new Date().toISOString() });
    if (duplicate) return;
    if (typeof status === 'number' && delivered(d.connection.gateway, status)) {
      if (this.options.random() < this.options.duplicateProbability) this.later(1000, () => this.attempt(d, attempt, true));
      return;
    }
    const delay = retrySchedule(d.connection.gateway, d.connection.mode)[attempt - 1];
    if (delay !== undefined) this.later(delay, () => this.attempt(d, attempt + 1, false));
  }

  /** Resolve once nothing is queued or in flight (tests use it to wait for webhooks). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.timers.size > 0) await new Promise((r) => setTimeout(r, 5));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all(this.inFlight);
  }
}
