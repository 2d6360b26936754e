/** The bare route the webhook baseline hits: the HTTP floor of the API process (Node + Express, nothing else). */
export const BARE_ROUTE = '/__bench/bare';
