import request from 'supertest';
import { promiseDate } from '../../src/domain/promise/promise-delivery';
import { createInbound } from '../../src/inventory/inbound-repository';
import { createStockRepository } from '../../src/inventory/stock-repository';
import { AUTH, startGatewayHarness, type GatewayHarness } from './gateway-harness';

let gateway: GatewayHarness;
const source = 'test';
const PARIS = { postalCode: '75004', country: 'FR', lat: 48.8566, lon: 2.3522 };
const IN_TEN_DAYS = new Date(Date.now() + 10 * 86_400_000).toISOString();

const nodeBody = (type: string, lat: number, lon: number, postalCode: string, capabilities: string[]) => ({
  name: `${type} ${postalCode}`,
  type,
  location: { lat, lon, postalCode, country: 'FR' },
  capabilities,
});

beforeAll(async () => {
  gateway = await startGatewayHarness('availability');
  const nodes = {
    'WH-LYON': nodeBody('warehouse', 45.764, 4.8357, '69002', ['ship']),
    'ST-PARIS': nodeBody('store', 48.857, 2.353, '75004', ['ship', 'pickup']),
    'ST-LILLE': nodeBody('store', 50.6292, 3.0573, '59000', ['ship', 'pickup']),
    'ST-NICE': nodeBody('store', 43.7102, 7.262, '06000', ['ship', 'pickup']),
  };
  for (const [nodeId, body] of Object.entries(nodes)) {
    await request(gateway.app).put(`/v1/nodes/${nodeId}`).set(AUTH.admin).send(body);
  }
  const stock = createStockRepository(gateway.collections);
  await stock.setCount({ sku: 'COAT', nodeId: 'WH-LYON', onHand: 8, safetyStock: 1, source });
  await stock.setCount({ sku: 'COAT', nodeId: 'ST-PARIS', onHand: 2, source });
  await stock.setCount({ sku: 'COAT', nodeId: 'ST-NICE', onHand: 5, source });
  await stock.setHold({ sku: 'COAT', nodeId: 'WH-LYON', pool: 'channel:marketplace', quantity: 3, source });
  await stock.setHold({ sku: 'COAT', nodeId: 'ST-NICE', pool: 'segment:vip', quantity: 5, source });
  await createInbound(gateway.collections, {
    sku: 'BAG',
    nodeId: 'WH-LYON',
    quantity: 4,
    expectedAt: IN_TEN_DAYS,
    source,
  });
});

afterAll(() => gateway.close());

const availability = (query: string, auth: Record<string, string> = AUTH.channel) =>
  request(gateway.app).get(`/v1/availability?${query}`).set(auth);
const options = (body: object, auth: Record<string, string> = AUTH.channel) =>
  request(gateway.app).post('/v1/availability/delivery-options').set(auth).send(body);
const cart = (quantity = 1, sku = 'COAT') => ({ lines: [{ sku, quantity }], destination: PARIS });

describe('GET /v1/availability', () => {
  it('counts holds only for their own channel or segment', async () => {
    const total = async (query: string) => (await availability(`sku=COAT${query}`)).body.items[0].available;
    // General: Lyon 8 - 1 safety - 3 held = 4, Paris 2, Nice 0 (all held for vip).
    expect(await total('')).toBe(6);
    expect(await total('&channel=web')).toBe(6);
    expect(await total('&channel=marketplace')).toBe(9);
    expect(await total('&segment=vip')).toBe(11);
  });

  it('shows per node what the caller may sell', async () => {
    const response = await availability('sku=COAT&channel=marketplace');
    expect(response.body.items[0].nodes).toEqual([
      { nodeId: 'ST-NICE', available: 0 },
      { nodeId: 'ST-PARIS', available: 2 },
      { nodeId: 'WH-LYON', available: 7 },
    ]);
  });

  it('shows the next inbound supply of a SKU', async () => {
    const response = await availability('sku=BAG');
    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([
      {
        sku: 'BAG',
        available: 0,
        nodes: [],
        nextInbound: {
          quantity: 4,
          expectedAt: IN_TEN_DAYS,
          nodes: [{ nodeId: 'WH-LYON', quantity: 4, expectedAt: IN_TEN_DAYS }],
        },
      },
    ]);
  });

  it('ranks nodes nearest first with their distance when coordinates are given', async () => {
    const response = await availability('sku=COAT&lat=48.86&lon=2.38');
    const nodes = response.body.items[0].nodes;
    expect(nodes.map((node: { nodeId: string }) => node.nodeId)).toEqual(['ST-PARIS', 'WH-LYON', 'ST-NICE']);
    expect(nodes[0].distanceKm).toBeLessThan(nodes[1].distanceKm);
  });

  it('puts nodes in the same postcode area first when only a postcode is given', async () => {
    const response = await availability('sku=COAT&postalCode=75011');
    expect(response.body.items[0].nodes[0]).toEqual({ nodeId: 'ST-PARIS', available: 2, distanceKm: 30 });
  });

  it('lets agents and admins ask for any channel', async () => {
    for (const auth of [AUTH.agent, AUTH.admin]) {
      const response = await availability('sku=COAT&channel=marketplace', auth);
      expect(response.body.items[0].available).toBe(9);
    }
  });

  it.each([
    ['an unknown channel', 'sku=COAT&channel=telepathy', 'channel'],
    ['an unknown parameter', 'sku=COAT&warehouse=1', 'warehouse'],
    ['lat without lon', 'sku=COAT&lat=48.8', 'lat'],
    ['a latitude out of range', 'sku=COAT&lat=100&lon=2', 'lat'],
    ['a malformed segment', 'sku=COAT&segment=v.i.p', 'segment'],
  ])('answers 422 problem+json for %s', async (_name, query, path) => {
    const response = await availability(query);
    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
  });

  it('answers 401 without a key and 403 to carriers', async () => {
    expect((await request(gateway.app).get('/v1/availability?sku=COAT')).status).toBe(401);
    expect((await availability('sku=COAT', AUTH.carrier)).status).toBe(403);
  });
});

describe('POST /v1/availability/delivery-options', () => {
  it('offers ship standard, ship express, then pickup stores nearest first', async () => {
    const response = await options(cart(1));
    expect(response.status).toBe(200);
    const ids = response.body.options.map((option: { optionId: string }) => option.optionId);
    expect(ids.slice(0, 2)).toEqual(['ship-standard', 'ship-express']);
    const pickups = response.body.options.filter((option: { method: string }) => option.method === 'pickup');
    const distances = pickups.map(
      (option: { pickupNode: { distanceKm: number } }) => option.pickupNode.distanceKm,
    );
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(pickups[0].pickupNode.nodeId).toBe('ST-PARIS');
    expect(response.body.unavailable).toEqual([]);
  });

  it('never promises express later than standard', async () => {
    for (const quantity of [1, 3, 6]) {
      const { body } = await options(cart(quantity));
      const standard = body.options.find(
        (option: { optionId: string }) => option.optionId === 'ship-standard',
      );
      const express = body.options.find((option: { optionId: string }) => option.optionId === 'ship-express');
      expect(standard).toBeDefined();
      if (express) expect(express.promisedDate <= standard.promisedDate).toBe(true);
    }
  });

  it('has a store with the stock ready for pickup the same or next day, per the promise rules', async () => {
    const { body } = await options(cart(2));
    const paris = body.options.find((option: { optionId: string }) => option.optionId === 'pickup:ST-PARIS');
    const expected = promiseDate({ now: body.now, node: { type: 'store' }, distanceKm: 0, method: 'pickup' });
    expect(paris.promisedDate).toBe(expected);
    const daysAhead = (Date.parse(expected) - Date.parse(body.now.slice(0, 10))) / 86_400_000;
    expect([0, 1]).toContain(daysAhead);
    expect(paris.sources).toEqual([expect.objectContaining({ nodeId: 'ST-PARIS', fromInbound: false })]);
  });

  it('names the nodes each option takes the units from', async () => {
    const { body } = await options(cart(4));
    const standard = body.options[0];
    const units = standard.sources
      .flatMap((source: { lines: { quantity: number }[] }) => source.lines)
      .reduce((sum: number, line: { quantity: number }) => sum + line.quantity, 0);
    expect(units).toBe(4);
  });

  it('only the segment holding the stock may have it promised', async () => {
    // Nice's 5 are held for vip: 11 units only reach vip customers.
    expect((await options(cart(11))).body.options).toEqual([]);
    expect((await options(cart(11))).body.unavailable).toEqual([{ sku: 'COAT', quantity: 5 }]);
    const vip = await options({ ...cart(11), segment: 'vip' });
    expect(vip.body.options.length).toBeGreaterThan(0);
  });

  it('promises a cart only inbound supply can serve after the supply arrives', async () => {
    const { body } = await options(cart(2, 'BAG'));
    const standard = body.options.find((option: { optionId: string }) => option.optionId === 'ship-standard');
    expect(standard.waitsForInbound).toBe(true);
    expect(standard.sources[0]).toEqual(expect.objectContaining({ nodeId: 'WH-LYON', fromInbound: true }));
    expect(standard.promisedDate > IN_TEN_DAYS.slice(0, 10)).toBe(true);
  });

  it.each([
    ['no lines', { ...cart(), lines: [] }, 'lines'],
    ['a zero quantity', cart(0), 'lines.0.quantity'],
    ['an unknown field', { ...cart(), gift: true }, 'gift'],
    [
      'a destination without country',
      { ...cart(), destination: { postalCode: '75004' } },
      'destination.country',
    ],
    ['an unknown channel', { ...cart(), channel: 'fax' }, 'channel'],
    ['too many pickup stores', { ...cart(), pickupStores: 50 }, 'pickupStores'],
  ])('answers 422 problem+json for %s', async (_name, body, path) => {
    const response = await options(body);
    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
  });

  it('answers 401 without a key and 403 to node staff', async () => {
    expect((await request(gateway.app).post('/v1/availability/delivery-options').send(cart())).status).toBe(
      401,
    );
    expect((await options(cart(), AUTH.node)).status).toBe(403);
  });
});
