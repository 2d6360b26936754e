import type { Request } from 'express';
import type { SandboxAccount, SandboxAccounts, SandboxGateway } from './accounts';
import { findCard, type Outcome, type TestCard } from './cards';
import type { CheckoutSession, SandboxState, StoredCardRecord } from './state';
import type { WebhookSender } from './webhook-sender';

/** Applies a card's checkout outcome in one gateway's books; returns where to send the customer, if anywhere. */
export type CheckoutHandler = (session: CheckoutSession, card: TestCard, outcome: Outcome) => { redirectTo?: string };

/** What every fake gateway needs: books, webhooks, ids and a clock for asynchronous steps such as refunds. */
export interface SandboxContext {
  accounts: SandboxAccounts;
  state: SandboxState;
  sender: WebhookSender;
  /** A gateway-looking id (`order_…`) that embeds the never-reused sequence. */
  id: (prefix: string, length?: number) => string;
  /** A numeric id (Paystack, Flutterwave) from the same sequence: `base + sequence`. */
  numericId: (base: number) => number;
  /** Base URL customers' browsers use for checkout links; the request's own host unless configured. */
  publicUrl: (req: Request) => string;
  /** Run later on the sandbox clock (scaled like webhook retries); cleared when the sandbox stops. */
  later: (ms: number, fn: () => void) => void;
  now: () => Date;
  /** Filled by each fake gateway: what paying one of its checkouts does. */
  checkout: Partial<Record<SandboxGateway, CheckoutHandler>>;
  /** Filled by the Razorpay fake: revoke a card mandate (sends token.cancelled); false for an unknown token. */
  revokeToken?: (tokenId: string) => boolean;
}

export const accountsOf = (ctx: SandboxContext, gateway: SandboxGateway): SandboxAccount[] => [...ctx.accounts.values()].filter((c) => c.gateway === gateway);

/** A request field as text; objects and arrays (never valid here) become ''. */
export const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

export const testCardOf = (record: StoredCardRecord): TestCard => {
  const card = findCard(record.cardNumber);
  if (!card) throw new Error(`stored card ${record.token} has an unknown test card`);
  return card;
};

/** The outcome of charging a stored card now: a forced one first, else the test card's renewal behaviour. */
export const renewalOutcome = (ctx: SandboxContext, record: StoredCardRecord): Outcome => ctx.state.takeForced(record.token) ?? testCardOf(record).renewals;
