import { ambiguous } from './http';

/**
 * How many pages of a gateway list are read looking for an earlier refund (Flutterwave `GET /refunds`, Paystack
 * `GET /refund`). Lookups run before a refund is (re)sent; the refund looked for was made minutes or hours earlier,
 * so it is near the front (lists are newest first). The bound keeps one activity attempt inside its 1-minute timeout
 * at normal latency; a slower gateway times the attempt out, which is retried like any unknown outcome.
 */
export const MAX_LOOKUP_PAGES = 10;

export interface ListPage<T> {
  items: T[];
  /** Pages the list has in all (1 when the gateway did not say). */
  totalPages: number;
}

/**
 * Reads a paged list, page 1 onwards, until `exact` matches, and returns that item; or else the first item `fallback`
 * matched; or null once every page was read without either. Past MAX_LOOKUP_PAGES with pages unread and nothing
 * found, the answer is unknown (the item may be on a page not read): a plain, retryable error, so the caller never
 * acts as if it did not exist (a second refund). The retry looks again.
 */
export async function findInPages<T>(
  gatewayLabel: string,
  what: string,
  readPage: (page: number) => Promise<ListPage<T>>,
  exact: (item: T) => boolean,
  fallback: (item: T) => boolean = () => false,
): Promise<T | null> {
  let candidate: T | undefined;
  for (let page = 1; page <= MAX_LOOKUP_PAGES; page += 1) {
    const { items, totalPages } = await readPage(page);
    const found = items.find(exact);
    if (found) return found;
    candidate ??= items.find(fallback);
    if (page >= totalPages) return candidate ?? null;
  }
  if (candidate) return candidate;
  throw ambiguous(gatewayLabel, what, `more than ${MAX_LOOKUP_PAGES} pages to search; an earlier refund may be on a page not read`);
}
