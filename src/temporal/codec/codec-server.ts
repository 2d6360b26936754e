import express, { type Express, type RequestHandler } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { findApiKey, type ApiKey } from '../../api/auth/api-keys';

/** The Temporal UI / CLI remote codec protocol: `{ payloads: [{ metadata: { k: base64 }, data: base64 }] }`. */
const WirePayloadSchema = z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() });
const BodySchema = z.object({ payloads: z.array(WirePayloadSchema).max(1000) });
type WirePayload = z.infer<typeof WirePayloadSchema>;

const fromWire = (p: WirePayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toWire = (p: Payload): WirePayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Callers authenticate with an API key that has the `read` scope (`Authorization: Bearer <key>`). */
  apiKeys: readonly ApiKey[];
  /** Browser origins allowed by CORS: the Temporal UI's. */
  allowedOrigins: readonly string[];
  /**
   * Development only: the dev server's UI has no login, so it cannot pass a token. Requests from an allowed origin are
   * then accepted without one; the server listens on loopback with the public development key anyway.
   */
  trustAllowedOriginsWithoutToken?: boolean;
}

const problem = (res: express.Response, status: number, title: string, detail: string): void => {
  res.status(status).type('application/problem+json').send(JSON.stringify({ type: `https://chargeloop.dev/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, title, status, detail }));
};

/**
 * The codec server operators point the Temporal UI (`--ui-codec-endpoint`, TEMPORAL_CODEC_ENDPOINT) and CLI
 * (`--codec-endpoint`) at: it decrypts payloads for display with the same keys as the worker. Without it, histories
 * show only ciphertext. Authenticated: decoding is reading customer data.
 */
export function createCodecServerApp(options: CodecServerOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  const origins = new Set(options.allowedOrigins);

  const cors: RequestHandler = (req, res, next) => {
    const origin = req.get('origin');
    if (origin && origins.has(origin)) {
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Vary', 'Origin');
      res.set('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.set('Access-Control-Allow-Headers', 'Content-Type, Authorization, X-Namespace');
      res.set('Access-Control-Allow-Credentials', 'true');
      res.set('Access-Control-Max-Age', '600');
    }
    if (req.method === 'OPTIONS') {
      res.status(origin && origins.has(origin) ? 204 : 403).end();
      return;
    }
    next();
  };

  const auth: RequestHandler = (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    const key = match?.[1] ? findApiKey(options.apiKeys, match[1]) : undefined;
    if (key?.scopes.includes('read')) return next();
    const origin = req.get('origin');
    if (!match && options.trustAllowedOriginsWithoutToken && origin && origins.has(origin)) return next();
    res.set('WWW-Authenticate', 'Bearer realm="chargeloop-codec"');
    problem(res, 401, 'Unauthorized', 'Send an API key with the "read" scope as "Authorization: Bearer <key>".');
  };

  const route = (op: 'encode' | 'decode'): RequestHandler => async (req, res) => {
    const body = BodySchema.safeParse(req.body);
    if (!body.success) return problem(res, 400, 'Bad request', 'expected {"payloads": [{"metadata": {...base64}, "data": base64}]}');
    try {
      const out = await options.codec[op](body.data.payloads.map(fromWire));
      res.json({ payloads: out.map(toWire) });
    } catch (err) {
      // e.g. a payload encrypted with a key this server lacks: say which, never what.
      problem(res, 422, 'Cannot decode', err instanceof Error ? err.message : 'payload could not be processed');
    }
  };

  app.use(cors);
  app.post('/encode', auth, express.json({ limit: '4mb' }), route('encode'));
  app.post('/decode', auth, express.json({ limit: '4mb' }), route('decode'));
  app.use((_req, res) => problem(res, 404, 'Not found', 'The codec server answers POST /encode and POST /decode.'));
  app.use(((err, _req, res, _next) => {
    const status = (err as { status?: number }).status;
    problem(res, status && status >= 400 && status < 500 ? status : 500, 'Bad request', 'the request body could not be read');
  }) as express.ErrorRequestHandler);
  return app;
}
