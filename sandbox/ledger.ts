import { Router, type Request, type Response } from 'express';
import type { SandboxState } from './state';

/** One successful charge as the gateway booked it; `reference` is the merchant's (Paystack reference, tx_ref, receipt). */
export interface LedgerCharge {
  gateway: 'paystack' | 'flutterwave' | 'razorpay';
  reference: string;
  /** The gateway's own id for the transaction (Paystack id, Flutterwave id, Razorpay payment id), when it said. */
  transactionId?: string;
  via: 'checkout' | 'api';
}

export interface LedgerRefund {
  gateway: LedgerCharge['gateway'];
  refundId: string;
  /** The charge's merchant reference, when the gateway's answers let us map it. */
  chargeReference: string | undefined;
  amount: number;
}

export interface LedgerView {
  charges: LedgerCharge[];
  refunds: LedgerRefund[];
  /** Successful charges per merchant reference: any value above 1 is a duplicate charge. */
  chargesByReference: Record<string, number>;
  /** Distinct refunds per charge reference. */
  refundsByReference: Record<string, number>;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const text = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

/**
 * GET /__sandbox/ledger: every charge and refund the three fake gateways booked, counted per reference, for the
 * cluster tests and the chaos run. Derived from what the gateways answered (each fake's successful charge and refund
 * responses) and from the checkout sessions customers paid, so the fakes themselves stay untouched.
 */
export function createLedgerRouter(state: SandboxState): Router {
  const apiCharges: LedgerCharge[] = [];
  const refunds = new Map<string, LedgerRefund>();
  // The gateways' ids → merchant references, learned from any answer that carries both.
  const flwTxRef = new Map<string, string>();
  const rzpOrderReceipt = new Map<string, string>();
  const rzpPaymentOrder = new Map<string, string>();

  const learn = (gateway: LedgerCharge['gateway'], body: Json): void => {
    const data = obj(body.data);
    if (gateway === 'flutterwave') {
      for (const tx of Array.isArray(body.data) ? (body.data as unknown[]).map(obj) : [data]) {
        const id = text(tx.id);
        const ref = text(tx.tx_ref);
        if (id && ref) flwTxRef.set(id, ref);
      }
    }
    if (gateway === 'razorpay') {
      const items = Array.isArray(body.items) ? (body.items as unknown[]).map(obj) : [body];
      for (const item of items) {
        const id = text(item.id);
        if (item.entity === 'order' && id && text(item.receipt)) rzpOrderReceipt.set(id, text(item.receipt)!);
        if (item.entity === 'invoice' && text(item.order_id) && text(item.receipt)) rzpOrderReceipt.set(text(item.order_id)!, text(item.receipt)!);
        if (item.entity === 'payment' && id && text(item.order_id)) rzpPaymentOrder.set(id, text(item.order_id)!);
      }
    }
  };

  const observe = (gateway: LedgerCharge['gateway'], req: Request, status: number, body: Json): void => {
    learn(gateway, body);
    if (status !== 200 || req.method !== 'POST') return;
    const path = req.path;
    const data = obj(body.data);
    if (gateway === 'paystack' && path === '/transaction/charge_authorization' && data.status === 'success') {
      apiCharges.push({ gateway, reference: String(data.reference), transactionId: text(data.id), via: 'api' });
    } else if (gateway === 'paystack' && path === '/refund' && body.status === true) {
      const id = String(data.id);
      refunds.set(`paystack:${id}`, { gateway, refundId: id, chargeReference: text(obj(data.transaction).reference), amount: Number(data.amount) });
    } else if (gateway === 'flutterwave' && path === '/tokenized-charges' && data.status === 'successful') {
      apiCharges.push({ gateway, reference: String(data.tx_ref), transactionId: text(data.id), via: 'api' });
    } else if (gateway === 'flutterwave' && /^\/transactions\/\d+\/refund$/.test(path) && body.status === 'success') {
      const id = String(data.id);
      refunds.set(`flutterwave:${id}`, { gateway, refundId: id, chargeReference: flwTxRef.get(String(data.tx_id)), amount: Number(data.amount_refunded) });
    } else if (gateway === 'razorpay' && path === '/payments/create/recurring') {
      const paymentId = String(body.razorpay_payment_id);
      const orderId = String(body.razorpay_order_id);
      rzpPaymentOrder.set(paymentId, orderId);
      apiCharges.push({ gateway, reference: rzpOrderReceipt.get(orderId) ?? `order:${orderId}`, transactionId: paymentId, via: 'api' });
    } else if (gateway === 'razorpay' && /^\/payments\/[^/]+\/refund$/.test(path) && body.entity === 'refund') {
      const id = String(body.id);
      const orderId = rzpPaymentOrder.get(String(body.payment_id));
      refunds.set(`razorpay:${id}`, { gateway, refundId: id, chargeReference: orderId ? rzpOrderReceipt.get(orderId) : undefined, amount: Number(body.amount) });
    }
  };

  const router = Router();
  const mounts: [string, LedgerCharge['gateway']][] = [['/paystack', 'paystack'], ['/flutterwave/v3', 'flutterwave'], ['/razorpay/v1', 'razorpay']];
  for (const [mount, gateway] of mounts) {
    router.use(mount, (req: Request, res: Response, next) => {
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        observe(gateway, req, res.statusCode, obj(body));
        return json(body);
      };
      next();
    });
  }

  router.get('/__sandbox/ledger', (_req, res) => {
    const checkout: LedgerCharge[] = Object.values(state.sessions)
      .filter((s) => s.status === 'paid')
      .map((s) => ({ gateway: s.gateway, reference: s.reference, via: 'checkout' }));
    const charges = [...checkout, ...apiCharges];
    const count = (keys: (string | undefined)[]): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const k of keys) if (k !== undefined) out[k] = (out[k] ?? 0) + 1;
      return out;
    };
    const list = [...refunds.values()];
    const view: LedgerView = { charges, refunds: list, chargesByReference: count(charges.map((c) => c.reference)), refundsByReference: count(list.map((r) => r.chargeReference)) };
    res.json(view);
  });
  return router;
}
