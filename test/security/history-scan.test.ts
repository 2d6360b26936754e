import { Writable } from 'node:stream';
import type { Server } from 'node:http';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createLogger } from '../../src/api/logging';
import { subscriptionWorkflowId } from '../../src/shared/ids';
import { createCodecServerApp } from '../../src/temporal/codec/codec-server';
import { DEV_CODEC_KEYS } from '../../src/temporal/codec/codec-keys';
import { chargeloopDataConverter, codecFromConfig } from '../../src/temporal/codec/data-converter';
import { READ_KEY, TEST_API_KEYS } from '../helpers/api';
import { bundleWorkflows, createDevServerEnv } from '../helpers/environments';
import { TEST_SECRETS } from '../helpers/gateway-connections';
import { payAtCheckout } from '../helpers/gateway-sandbox';
import { createSubscription, statusIs, storedCardToken, subscriptionBody, viewUntil } from '../helpers/http-api';
import { closeServer, listen, startStack, type Stack } from '../helpers/stack';

const config = { codec: DEV_CODEC_KEYS };

/**
 * Everything an operator without the codec can read: every string and every byte field (payload data and metadata)
 * as text. Walked by hand because the proto messages' toJSON would turn bytes into base64 and hide clear text.
 */
function asText(value: unknown, out: string[] = [], depth = 0): string {
  if (depth > 64 || value === null || value === undefined) return out.join('\n');
  if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('latin1'));
  else if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) asText(v, out, depth + 1);
  else if (typeof value === 'object') for (const v of Object.values(value)) asText(v, out, depth + 1);
  return out.join('\n');
}

/**
 * A subscription paid at the hosted checkout on the dev server, with the codec on the API's client and the worker:
 * read back without the codec, the history holds no customer email, card token or secret; the codec server decodes it.
 */
describe('customer data in histories and logs', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let stack: Stack;
  let codecServer: Server;
  let codecUrl: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    [env, bundle] = await Promise.all([createDevServerEnv(), bundleWorkflows()]);
    const temporal = new Client({ connection: env.connection, namespace: env.namespace, dataConverter: chargeloopDataConverter(config) });
    const destination = new Writable({ write: (chunk: Buffer, _e, done) => (logLines.push(chunk.toString()), done()) });
    stack = await startStack({ env, bundle, temporal, dataConverter: chargeloopDataConverter(config), logger: createLogger({ level: 'info', destination }) });
    codecServer = createCodecServerApp({ codec: codecFromConfig(config), apiKeys: TEST_API_KEYS, allowedOrigins: ['http://127.0.0.1:8233'] }).listen(0, '127.0.0.1');
    codecUrl = await listen(codecServer);
  });
  afterAll(async () => {
    await stack?.close();
    if (codecServer) await closeServer(codecServer);
    await env?.teardown();
  });

  it('no email, card token or secret in clear in the recorded history or any log line; the codec server decodes', async () => {
    const body = subscriptionBody('paystack', 'scan');
    const created = await createSubscription(stack, body);
    expect((await payAtCheckout(created.authorization.checkoutUrl!, '4084084084084081')).html).toContain('Payment successful');
    await viewUntil(stack, body.id, statusIs('active'));
    const cardToken = storedCardToken(stack, body.customer.email);

    // env.client has no codec: what `temporal workflow show` without --codec-endpoint prints.
    const history = await env.client.workflow.getHandle(subscriptionWorkflowId(body.id)).fetchHistory();
    const clear = asText(history);
    // Raw describe: memo and search attributes as stored (the SDK's describe() would try to decode the memo).
    const description = asText(await env.client.workflowService.describeWorkflowExecution({ namespace: env.namespace ?? 'default', execution: { workflowId: subscriptionWorkflowId(body.id) } }));
    const forbidden = [body.customer.email, cardToken, ...Object.values(TEST_SECRETS)];
    for (const text of [clear, description, logLines.join('')]) for (const value of forbidden) expect(text).not.toContain(value);
    expect(clear).toContain('binary/encrypted');
    expect(logLines.length).toBeGreaterThan(0);
    // The scanner sees clear text where there is some: search attributes are not encrypted, and it reads them.
    expect(clear).toContain(body.customer.id);

    // The operator's view through the codec server (what the UI and `--codec-endpoint` call).
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
    const wire = input.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
    }));
    const unauthenticated = await fetch(`${codecUrl}/decode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payloads: wire }) });
    expect(unauthenticated.status).toBe(401);
    const res = await fetch(`${codecUrl}/decode`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${READ_KEY}`, 'x-namespace': 'default' }, body: JSON.stringify({ payloads: wire }) });
    expect(res.status).toBe(200);
    const decoded = (await res.json()) as { payloads: { data: string }[] };
    expect(Buffer.from(decoded.payloads[0]!.data, 'base64').toString('utf8')).toContain(body.customer.email);
  });
});
