import { readFileSync } from 'node:fs';

/**
 * A merchant account the sandbox accepts: only what a gateway itself knows (keys, mode). The sandbox reads the
 * same connections file as Chargeloop but parses it itself: it imports no production gateway code.
 */
export type SandboxGateway = 'paystack' | 'flutterwave' | 'razorpay';
interface Base {
  id: string;
  mode: 'test' | 'live';
}
export interface PaystackAccount extends Base {
  gateway: 'paystack';
  keys: { secretKey: string };
}
export interface FlutterwaveAccount extends Base {
  gateway: 'flutterwave';
  keys: { secretKey: string; webhookSecretHash: string };
}
export interface RazorpayAccount extends Base {
  gateway: 'razorpay';
  keys: { keyId: string; keySecret: string; webhookSecret: string };
}
export type SandboxAccount = PaystackAccount | FlutterwaveAccount | RazorpayAccount;
export type SandboxAccounts = ReadonlyMap<string, SandboxAccount>;

const REQUIRED: Record<SandboxGateway, string[]> = {
  paystack: ['secretKey'],
  flutterwave: ['secretKey', 'webhookSecretHash'],
  razorpay: ['keyId', 'keySecret', 'webhookSecret'],
};

export function parseAccounts(raw: unknown): SandboxAccounts {
  if (!raw || typeof raw !== 'object') throw new Error('sandbox accounts: expected an object of connections');
  const out = new Map<string, SandboxAccount>();
  for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
    const c = value as { gateway?: unknown; mode?: unknown; keys?: Record<string, unknown> };
    const gateway = c.gateway as SandboxGateway;
    if (!(gateway in REQUIRED)) throw new Error(`sandbox accounts: ${id}.gateway must be paystack, flutterwave or razorpay`);
    for (const key of REQUIRED[gateway]) if (typeof c.keys?.[key] !== 'string') throw new Error(`sandbox accounts: ${id}.keys.${key} is required`);
    out.set(id, { id, gateway, mode: c.mode === 'live' ? 'live' : 'test', keys: c.keys } as SandboxAccount);
  }
  return out;
}

export const loadAccounts = (file: string): SandboxAccounts => parseAccounts(JSON.parse(readFileSync(file, 'utf8')));
