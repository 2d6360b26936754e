import type { Server } from 'node:http';
import express from 'express';
import { createWebhooksRouter } from '../../src/api/routes/webhooks';
import type { RouteLogger } from '../../src/api/routes/route-logger';
import type { GatewayConnections } from '../../src/gateways/connections';
import type { GatewayEvent } from '../../src/shared/gateway-events';
import { createSandbox, type Sandbox } from '../../sandbox/app';
import { testConnections } from './gateway-connections';

export interface SandboxHarness {
  sandbox: Sandbox;
  /** Connections whose baseUrl points at the running sandbox. */
  connections: GatewayConnections;
  /** What the webhook router signalled, in order. */
  signals: { subscriptionId: string; event: GatewayEvent }[];
  sandboxUrl: string;
  close(): Promise<void>;
}

const quiet: RouteLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The sandbox on a free port, sending its webhooks to Chargeloop's real webhook router with a recording signal. */
export interface HarnessOptions {
  overrides?: Record<string, unknown>;
  duplicateProbability?: number;
  /** Runs before a signal is recorded; reject to play an unreachable Temporal. */
  beforeSignal?: (subscriptionId: string, event: GatewayEvent) => Promise<void>;
  /** Connections only Chargeloop's receiver sees (e.g. a secret that differs from the sandbox's). */
  receiverOverrides?: Record<string, unknown>;
}

export async function startSandboxHarness(options: HarnessOptions = {}): Promise<SandboxHarness> {
  const { overrides = {}, duplicateProbability = 0, beforeSignal, receiverOverrides = {} } = options;
  const signals: SandboxHarness['signals'] = [];
  const keysOnly = testConnections(undefined, overrides);
  const receiver = express().use(
    createWebhooksRouter({ connections: testConnections(undefined, { ...overrides, ...receiverOverrides }), logger: quiet, subscriptions: { signal: async (subscriptionId, event) => {
      if (beforeSignal) await beforeSignal(subscriptionId, event);
      signals.push({ subscriptionId, event });
    } } }),
  );
  const server: Server = await new Promise((resolve) => {
    const s = receiver.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const sandbox = createSandbox({ connections: keysOnly, chargeloopUrl: receiverUrl, timeScale: 0.0001, duplicateProbability, seed: 7 });
  const sandboxUrl = await sandbox.listen(0);
  return {
    sandbox,
    connections: testConnections(sandboxUrl, overrides),
    signals,
    sandboxUrl,
    close: async () => {
      await sandbox.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A customer paying on the hosted checkout page: the form POST, then the OTP step when the card asks for one. */
export async function payAtCheckout(checkoutUrl: string, cardNumber: string, otp = '123456'): Promise<{ status: number; html: string; location?: string }> {
  const page = await fetch(checkoutUrl);
  if (page.status !== 200) throw new Error(`checkout page answered ${page.status}`);
  const form = (fields: Record<string, string>) => ({ method: 'POST', redirect: 'manual' as const, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  let res = await fetch(checkoutUrl, form({ card_number: cardNumber, expiry: '12/30', cvv: '408' }));
  const location = res.headers.get('location') ?? undefined;
  if (res.status === 303 && location?.endsWith('/otp')) {
    res = await fetch(new URL(location, checkoutUrl), form({ otp }));
  }
  return { status: res.status, html: await res.text(), location: res.headers.get('location') ?? undefined };
}
