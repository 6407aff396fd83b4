import { DEV_API_KEYS } from '../config';

/** The dev key of a role: the benchmark drives the gateway the way a channel and an admin would. */
export const devKeyFor = (role: string): string => {
  const pair = DEV_API_KEYS.split(',').find((entry) => entry.endsWith(`:${role}`));
  return (pair ?? '').split(':')[0] as string;
};

async function putJson(url: string, body: unknown, key: string): Promise<void> {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`PUT ${url}: ${response.status} ${await response.text()}`);
}

/** The bench network through the admin API: one warehouse with `unitsPerSku` of a few SKUs. */
export async function seedBenchNetwork(gatewayUrl: string, unitsPerSku: number): Promise<string[]> {
  const admin = devKeyFor('admin');
  const skus = ['BENCH-A', 'BENCH-B', 'BENCH-C', 'BENCH-D'];
  await putJson(
    `${gatewayUrl}/v1/nodes/BENCH-WH`,
    {
      name: 'Bench warehouse',
      type: 'warehouse',
      location: { lat: 48.85, lon: 2.35, postalCode: '75001', country: 'FR' },
      capabilities: ['ship'],
    },
    admin,
  );
  for (const sku of skus) {
    const product = { name: sku, priceMinor: 1000, currency: 'EUR', weightGrams: 500 };
    await putJson(`${gatewayUrl}/v1/products/${sku}`, product, admin);
    await putJson(`${gatewayUrl}/v1/inventory/${sku}/BENCH-WH`, { onHand: unitsPerSku }, admin);
  }
  return skus;
}

function orderBody(orderId: string, sku: string): unknown {
  return {
    orderId,
    channel: 'web',
    customer: { id: `bench-customer-${orderId.slice(-3)}`, email: 'bench@example.com' },
    currency: 'EUR',
    lines: [{ lineId: 'L1', sku, quantity: 1, unitPriceMinor: 1000 }],
    delivery: {
      method: 'ship',
      address: {
        line1: '1 rue de Rivoli',
        city: 'Paris',
        postalCode: '75001',
        country: 'FR',
        lat: 48.86,
        lon: 2.34,
      },
    },
    payment: { token: 'tok_ok' },
  };
}

/** Places one order through the gateway as a channel; anything but 201 is a failure. */
export async function placeOrder(gatewayUrl: string, orderId: string, sku: string): Promise<void> {
  const response = await fetch(`${gatewayUrl}/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${devKeyFor('channel')}` },
    body: JSON.stringify(orderBody(orderId, sku)),
  });
  if (response.status !== 201)
    throw new Error(`POST /v1/orders: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
}
