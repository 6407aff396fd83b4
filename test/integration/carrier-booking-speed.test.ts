import { MongoClient } from 'mongodb';
import { createCarrierActivities } from '../../activities/carrier.activities';
import type { ActivityDeps } from '../../activities/deps';
import type { BookShipmentRequest, CarrierGateway } from '../../src/carriers/carrier-gateway';
import { getCollections, type Collections } from '../../src/db/collections';
import type { OrderDoc } from '../../src/db/documents';
import { testMongoUri } from '../support/servers';

// The fulfilment child books its parcel without a speed: the booking takes the order's speed at that moment,
// so an agent's change to express (after the child started) reaches the carrier.

let client: MongoClient;
let collections: Collections;
const requests: BookShipmentRequest[] = [];
const carrier: CarrierGateway = {
  bookShipment: (request) => {
    requests.push(request);
    return Promise.resolve({
      carrier: 'sim',
      trackingNumber: `TRK-${request.fulfillmentId}`,
      labelUrl: `https://labels.example/${request.fulfillmentId}`,
    });
  },
};
const PARIS = { line1: '1 rue de Rivoli', city: 'Paris', postalCode: '75004', country: 'FR' };

beforeAll(async () => {
  client = await new MongoClient(testMongoUri(`carrier_booking_speed_${process.pid}`)).connect();
  collections = getCollections(client.db());
});
afterAll(async () => {
  await client.db().dropDatabase();
  await client.close();
});

/** An order read model with the given delivery, as the order workflow publishes it. */
async function seedOrder(orderId: string, delivery: object): Promise<void> {
  await collections.orders.insertOne({ _id: orderId, delivery } as unknown as OrderDoc);
}

const book = (orderId: string, speed?: 'standard' | 'express') =>
  createCarrierActivities({ collections, carrier } as unknown as ActivityDeps).bookShipment({
    orderId,
    fulfillmentId: `${orderId}-F1`,
    nodeId: 'WH-NOWHERE',
    to: PARIS,
    ...(speed ? { speed } : {}),
  });

test("a booking without a speed takes the order's current speed", async () => {
  await seedOrder('o-express', { method: 'ship', address: PARIS, speed: 'express' });
  await book('o-express');
  expect(requests.at(-1)).toMatchObject({ orderId: 'o-express', speed: 'express' });
});

test('a speed named by the caller wins over the order', async () => {
  await seedOrder('o-named', { method: 'ship', address: PARIS, speed: 'express' });
  await book('o-named', 'standard');
  expect(requests.at(-1)).toMatchObject({ orderId: 'o-named', speed: 'standard' });
});

test('an order without a speed, or with an unknown one, books without one (the carrier default)', async () => {
  await seedOrder('o-plain', { method: 'ship', address: PARIS });
  await seedOrder('o-odd', { method: 'ship', address: PARIS, speed: 'teleport' });
  await book('o-plain');
  expect(requests.at(-1)).not.toHaveProperty('speed');
  await book('o-odd');
  expect(requests.at(-1)).not.toHaveProperty('speed');
});
