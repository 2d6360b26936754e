import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const API_SCOPES = ['read', 'write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** One configured key: its SHA-256 (hex) only, never the key itself. */
export const ApiKeySchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_" or "-"'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the lower-case hex SHA-256 of the key'),
    scopes: z.array(z.enum(API_SCOPES)).min(1),
  })
  .strict();
export type ApiKey = z.infer<typeof ApiKeySchema>;
export const ApiKeysSchema = z.array(ApiKeySchema).min(1, 'must list at least one key');

export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/**
 * The key `npm run dev` accepts when API_KEYS is unset and NODE_ENV=development, so the README's curl examples
 * work out of the box. It is public by design and never accepted in any other environment.
 */
export const DEV_API_KEY = 'cl_dev_local_only_do_not_use_in_production';
export const DEV_API_KEYS: readonly ApiKey[] = Object.freeze([{ name: 'dev', sha256: sha256Hex(DEV_API_KEY), scopes: ['read', 'write'] }]);

/**
 * The configured key a presented secret belongs to. Hashing first gives fixed-length buffers, and every configured
 * hash is compared (no early exit), so the time taken reveals neither which key nor how much of it matched.
 */
export function findApiKey(keys: readonly ApiKey[], presented: string): ApiKey | undefined {
  const digest = createHash('sha256').update(presented, 'utf8').digest();
  let found: ApiKey | undefined;
  for (const key of keys) {
    if (timingSafeEqual(digest, Buffer.from(key.sha256, 'hex')) && !found) found = key;
  }
  return found;
}
