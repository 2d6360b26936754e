import { createServer, type Server } from 'node:http';
import Razorpay from 'razorpay';
import { createSandbox, type Sandbox } from '../../../sandbox/app';
import { closeServer, listen } from '../../helpers/stack';
import { TEST_SECRETS, testConnections } from '../../helpers/gateway-connections';
import { payAtCheckout } from '../../helpers/gateway-sandbox';
import { poll } from '../../helpers/poll';

/**
 * A client no one here wrote: the official `razorpay` SDK (2.9.8) makes every Razorpay call Chargeloop makes
 * against the sandbox, and its validateWebhookSignature accepts every webhook the sandbox sends. The SDK hard-codes
 * its host; its axios instance (`api.rq`) is repointed, as the reference notes (§3.9).
 */
describe('the official Razorpay SDK against the sandbox', () => {
  const account = testConnections().get('razorpay-test')!;
  if (account.gateway !== 'razorpay') throw new Error('razorpay-test must be a Razorpay connection');
  const webhooks: { body: string; signature: string | undefined }[] = [];
  let receiver: Server;
  let sandbox: Sandbox;
  let rzp: Razorpay;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const signature = req.headers['x-razorpay-signature'];
        webhooks.push({ body: Buffer.concat(chunks).toString('utf8'), signature: Array.isArray(signature) ? signature[0] : signature });
        res.writeHead(200).end();
      });
    });
    const receiverUrl = await listen(receiver.listen(0, '127.0.0.1'));
    sandbox = createSandbox({ connections: testConnections(), webhookUrlFor: () => receiverUrl, timeScale: 0.0001, duplicateProbability: 0, seed: 3 });
    const sandboxUrl = await sandbox.listen(0);
    rzp = new Razorpay({ key_id: account.keys.keyId, key_secret: account.keys.keySecret });
    (rzp as unknown as { api: { rq: { defaults: { baseURL: string } } } }).api.rq.defaults.baseURL = `${sandboxUrl}/razorpay`;
  });
  afterAll(async () => {
    await sandbox.close();
    await closeServer(receiver);
  });

  it('registration link, invoices by receipt, orders, recurring payment, order payments, payments list, refund; webhooks validate', async () => {
    const link = (await rzp.subscriptions.createRegistrationLink({
      customer: { name: 'Priya', email: 'priya.sdk@example.com', contact: '+919876543210' },
      type: 'link',
      amount: 49_900,
      currency: 'INR',
      description: 'Card authorization',
      receipt: 'sdk-1-auth1',
      subscription_registration: { method: 'card', max_amount: 1_500_000, frequency: 'as_presented' },
      email_notify: false,
      sms_notify: false,
    } as never)) as unknown as { short_url: string; order_id: string; receipt: string };
    expect(link.receipt).toBe('sdk-1-auth1');
    const invoices = (await rzp.invoices.all({ receipt: 'sdk-1-auth1' })) as unknown as { items: { order_id: string }[] };
    expect(invoices.items.map((i) => i.order_id)).toEqual([link.order_id]);

    expect((await payAtCheckout(link.short_url, '4100280000001007')).html).toContain('Payment successful');
    const authPayments = (await rzp.orders.fetchPayments(link.order_id)) as unknown as { items: { status: string; token_id: string; customer_id: string }[] };
    const auth = authPayments.items[0];
    expect(auth?.status).toBe('captured');

    const order = await rzp.orders.create({ amount: 49_900, currency: 'INR', receipt: 'sdk-1-c1-a1', payment_capture: true, notes: { chargeloop_reference: 'sdk-1-c1-a1' } });
    const found = await rzp.orders.all({ receipt: 'sdk-1-c1-a1' });
    expect(found.items.map((o) => o.id)).toEqual([order.id]);
    const created = (await rzp.payments.createRecurringPayment({
      email: 'priya.sdk@example.com', contact: '+919876543210', amount: 49_900, currency: 'INR', order_id: order.id, customer_id: auth?.customer_id, token: auth?.token_id, recurring: true, description: 'Monthly',
    } as never)) as unknown as { razorpay_payment_id: string };
    const renewal = (await rzp.orders.fetchPayments(order.id)) as unknown as { items: { id: string; status: string }[] };
    expect(renewal.items).toEqual([expect.objectContaining({ id: created.razorpay_payment_id, status: 'captured' })]);

    // The documented answer to paying a paid order.
    const again = await rzp.payments
      .createRecurringPayment({ email: 'priya.sdk@example.com', contact: '+919876543210', amount: 49_900, currency: 'INR', order_id: order.id, customer_id: auth?.customer_id, token: auth?.token_id, recurring: true } as never)
      .then(() => undefined, (e: unknown) => e as { statusCode: number; error: { reason: string } });
    expect(again).toMatchObject({ statusCode: 400, error: { reason: 'order_already_paid' } });

    expect((await rzp.payments.all({ count: 1 })).items).toHaveLength(1);
    const refund = (await rzp.payments.refund(created.razorpay_payment_id, { amount: 10_000, receipt: 'sdk-1-c1-a1-r1' })) as unknown as { status: string; payment_id: string };
    expect(refund).toMatchObject({ status: 'pending', payment_id: created.razorpay_payment_id });

    const events = () => webhooks.map((w) => (JSON.parse(w.body) as { event: string }).event);
    await poll(() => Promise.resolve(events()), (e) => e.includes('refund.processed'), { timeoutMs: 10_000, intervalMs: 20 });
    expect(events()).toEqual(expect.arrayContaining(['payment.captured', 'order.paid', 'invoice.paid', 'refund.created', 'refund.processed']));
    for (const w of webhooks) expect(Razorpay.validateWebhookSignature(w.body, w.signature ?? '', TEST_SECRETS.razorpayWebhookSecret)).toBe(true);
  });
});
