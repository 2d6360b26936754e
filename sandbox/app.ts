import type { Server } from 'node:http';
import express, { type Express } from 'express';
import type { SandboxAccount, SandboxAccounts } from './accounts';
import { createAdminRouter } from './admin';
import { createCheckoutRouter } from './checkout';
import type { SandboxContext } from './context';
import { createFlutterwaveFake } from './flutterwave';
import { createLedgerRouter } from './ledger';
import { createPaystackFake } from './paystack';
import { createRazorpayFake } from './razorpay';
import { idMaker, seededRandom } from './rng';
import { SandboxState } from './state';
import { WebhookSender } from './webhook-sender';
import { onSameClock, virtualClock, virtualNow } from './virtual-clock';

export interface SandboxOptions {
  /** Accounts the sandbox accepts (Chargeloop's parsed connections fit: only ids, modes and keys are read). */
  connections: SandboxAccounts;
  /** Persist everything to this JSON file and read it back at start (npm run dev: .data/sandbox.json). Unset: memory only. */
  dataFile?: string;
  /** Chargeloop's base URL; webhooks go to `${chargeloopUrl}/webhooks/<gateway>/<connectionId>`. Unset: no webhooks. */
  chargeloopUrl?: string;
  /** Overrides the per-connection webhook URL (tests). */
  webhookUrlFor?: (connection: SandboxAccount) => string | undefined;
  /** Base URL for checkout links; defaults to the Host the API call came in on. */
  publicUrl?: string;
  /** Multiplies webhook retry delays and asynchronous steps (refund processing). Default 1/600: an hour is 6 s. */
  timeScale?: number;
  /** Chance a delivered webhook is delivered again. Default 0.02. */
  duplicateProbability?: number;
  seed?: number;
  /** Razorpay's pre-debit delay for recurring card payments (sandbox/razorpay.ts); 0 or unset debits at once. */
  razorpayPreDebitMs?: number;
}

export interface Sandbox {
  app: Express;
  state: SandboxState;
  sender: WebhookSender;
  /** Listen (port 0 picks a free one); resolves with the base URL. */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** The local stand-in for Paystack, Flutterwave and Razorpay. A separate process: never imported by src/. */
export function createSandbox(options: SandboxOptions): Sandbox {
  const random = seededRandom(options.seed ?? 42);
  const timeScale = options.timeScale ?? 1 / 600;
  const timers = new Set<NodeJS.Timeout>();
  const state = new SandboxState(options.dataFile);
  const sender = new WebhookSender({
    webhookUrlFor: options.webhookUrlFor ?? ((c) => (options.chargeloopUrl ? `${options.chargeloopUrl.replace(/\/+$/, '')}/webhooks/${c.gateway}/${c.id}` : undefined)),
    timeScale,
    duplicateProbability: options.duplicateProbability ?? 0.02,
    random,
  });
  const randomChars = idMaker(random);
  const ctx: SandboxContext = {
    accounts: options.connections,
    state,
    sender,
    // The random part looks like the gateway's ids; the sequence part makes each id unique, across restarts too.
    id: (prefix, length = 14) => `${prefix}${randomChars('', Math.max(length - 6, 2))}${state.next().toString(36).padStart(6, '0')}`,
    numericId: (base) => base + state.next(),
    checkout: {},
    publicUrl: (req) => options.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`,
    later: (ms, fn) => {
      const wait = Math.round(ms * timeScale);
      const run = onSameClock(fn, ms - wait);
      const t = setTimeout(() => {
        timers.delete(t);
        run();
      }, wait);
      timers.add(t);
    },
    // The calling subscription's clock (test clocks send it), else the wall clock: sandbox/virtual-clock.ts.
    now: virtualNow,
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(virtualClock);
  app.use(createLedgerRouter(state)); // first: it sees every gateway answer (GET /__sandbox/ledger)
  app.use('/paystack', createPaystackFake(ctx));
  app.use('/flutterwave/v3', createFlutterwaveFake(ctx));
  app.use('/razorpay/v1', createRazorpayFake(ctx, { preDebitMs: options.razorpayPreDebitMs }));
  app.use(createCheckoutRouter(ctx));
  app.use(createAdminRouter(ctx));

  let server: Server | undefined;
  return {
    app,
    state,
    sender,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        const s = app.listen(port, host, (err?: Error) => {
          if (err) return reject(err);
          const address = s.address();
          resolve(`http://${host}:${typeof address === 'object' && address ? address.port : port}`);
        });
        server = s;
      }),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      await sender.stop();
      state.save();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}
