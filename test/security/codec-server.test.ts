import request from 'supertest';
import { DefaultPayloadConverter } from '@temporalio/common';
import { createCodecServerApp } from '../../src/temporal/codec/codec-server';
import { AesGcmPayloadCodec } from '../../src/temporal/codec/aes-gcm-codec';
import { READ_KEY, TEST_API_KEYS, WRITE_KEY } from '../helpers/api';

const UI = 'http://127.0.0.1:8233';
const codec = new AesGcmPayloadCodec([{ id: 'k1', key: Buffer.alloc(32, 3) }], 'k1');
const plainWire = (value: unknown) => {
  const p = new DefaultPayloadConverter().toPayload(value);
  return { metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(p.data!).toString('base64') };
};

describe('codec server (Temporal UI / CLI remote codec protocol)', () => {
  const app = createCodecServerApp({ codec, apiKeys: TEST_API_KEYS, allowedOrigins: [UI] });

  it('encodes and decodes {payloads} for a caller with a read key', async () => {
    type Wire = { payloads: { metadata: Record<string, string>; data: string }[] };
    const enc = await request(app).post('/encode').set('authorization', `Bearer ${READ_KEY}`).send({ payloads: [plainWire({ email: 'ada@example.com' })] }).expect(200);
    const encoded = (enc.body as Wire).payloads[0]!;
    expect(Buffer.from(encoded.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(encoded.data, 'base64').toString('latin1')).not.toContain('ada@example.com');
    const dec = await request(app).post('/decode').set('authorization', `Bearer ${WRITE_KEY}`).send(enc.body).expect(200);
    expect(Buffer.from((dec.body as Wire).payloads[0]!.data, 'base64').toString()).toBe('{"email":"ada@example.com"}');
  });

  it('401 without a key, with an unknown key, and from the UI origin without a token outside development', async () => {
    const body = { payloads: [plainWire('x')] };
    await request(app).post('/decode').send(body).expect(401);
    await request(app).post('/decode').set('authorization', 'Bearer nope').send(body).expect(401);
    await request(app).post('/decode').set('origin', UI).send(body).expect(401);
  });

  it('answers CORS preflight for the UI origin only', async () => {
    const ok = await request(app).options('/decode').set('origin', UI).set('access-control-request-method', 'POST').set('access-control-request-headers', 'content-type,x-namespace,authorization');
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(UI);
    expect(ok.headers['access-control-allow-headers']).toMatch(/X-Namespace/);
    const evil = await request(app).options('/decode').set('origin', 'https://evil.example').set('access-control-request-method', 'POST');
    expect(evil.status).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('in development trusts the UI origin without a token (the dev UI has no login), nobody else', async () => {
    const dev = createCodecServerApp({ codec, apiKeys: TEST_API_KEYS, allowedOrigins: [UI], trustAllowedOriginsWithoutToken: true });
    await request(dev).post('/decode').set('origin', UI).send({ payloads: [plainWire('x')] }).expect(200);
    await request(dev).post('/decode').set('origin', 'https://evil.example').send({ payloads: [plainWire('x')] }).expect(401);
  });

  it('400 for a malformed body, 422 naming the missing key id, never a 5xx', async () => {
    await request(app).post('/decode').set('authorization', `Bearer ${READ_KEY}`).send({ nope: 1 }).expect(400);
    await request(app).post('/decode').set('authorization', `Bearer ${READ_KEY}`).set('content-type', 'application/json').send('{bad').expect(400);
    const other = new AesGcmPayloadCodec([{ id: 'k9', key: Buffer.alloc(32, 9) }], 'k9');
    const [foreign] = await other.encode([new DefaultPayloadConverter().toPayload('x')]);
    const wire = { metadata: Object.fromEntries(Object.entries(foreign!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(foreign!.data!).toString('base64') };
    const res = await request(app).post('/decode').set('authorization', `Bearer ${READ_KEY}`).send({ payloads: [wire] }).expect(422);
    expect(res.body.detail).toMatch(/"k9" is not configured/);
  });
});
