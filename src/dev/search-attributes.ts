/** The custom search attributes the order workflow upserts; the dev servers register them as Keyword at start. */
export const SEARCH_ATTRIBUTES = ['OrderId', 'CustomerId', 'OrderStatus', 'Channel'] as const;
export type SearchAttributeName = (typeof SEARCH_ATTRIBUTES)[number];
