import { MongoClient } from 'mongodb';
import { getCollections, type Collections } from '../../src/db/collections';
import {
  capacityDay,
  claimNodeCapacity,
  nodeCapacityId,
  releaseNodeCapacity,
  usedCapacity,
} from '../../src/network/node-capacity';
import { testMongoUri } from '../support/servers';

// Against the suite's real MongoDB server: the claims are conditional updates, so the server decides.
const DAY = '2025-03-14';
let client: MongoClient;
let c: Collections;
let counter = 0;
const freshNode = () => `N-${++counter}`;

beforeAll(async () => {
  client = await new MongoClient(testMongoUri(`node_capacity_${process.pid}_${Date.now()}`)).connect();
  c = getCollections(client.db());
});
afterAll(async () => {
  await client.db().dropDatabase();
  await client.close();
});

const record = (nodeId: string) => c.nodeCapacity.findOne({ _id: nodeCapacityId(nodeId, DAY) });

test('the capacity day is the UTC date of the instant', () => {
  expect(capacityDay('2025-03-14T23:30:00.000-02:00')).toBe('2025-03-15');
  expect(capacityDay('2025-03-14T00:00:00.000Z')).toBe('2025-03-14');
});

test('claiming counts the order once against the node for the day', async () => {
  const nodeId = freshNode();
  expect(await claimNodeCapacity(c, { nodeId, orderId: 'o1', day: DAY }, 5)).toBe('claimed');
  expect(await record(nodeId)).toMatchObject({ used: 1, capacity: 5, orders: { o1: 1 } });
});

test('claiming again for the same order is a no-op that still answers claimed, even when the node is full', async () => {
  const nodeId = freshNode();
  await claimNodeCapacity(c, { nodeId, orderId: 'o1', day: DAY }, 1);
  expect(await claimNodeCapacity(c, { nodeId, orderId: 'o1', day: DAY }, 1)).toBe('claimed');
  expect(await record(nodeId)).toMatchObject({ used: 1 });
});

test('a node at its capacity refuses another order', async () => {
  const nodeId = freshNode();
  await claimNodeCapacity(c, { nodeId, orderId: 'o1', day: DAY }, 1);
  expect(await claimNodeCapacity(c, { nodeId, orderId: 'o2', day: DAY }, 1)).toBe('full');
  expect(await record(nodeId)).toMatchObject({ used: 1, orders: { o1: 1 } });
});

test('a node without a capacity takes every order', async () => {
  const nodeId = freshNode();
  for (const orderId of ['o1', 'o2', 'o3'])
    expect(await claimNodeCapacity(c, { nodeId, orderId, day: DAY }, undefined)).toBe('claimed');
  expect(await record(nodeId)).toMatchObject({ used: 3 });
});

test('releasing gives the unit back once; a second release and a release of an unknown order change nothing', async () => {
  const nodeId = freshNode();
  await claimNodeCapacity(c, { nodeId, orderId: 'o1', day: DAY }, 1);
  await releaseNodeCapacity(c, { nodeId, orderId: 'o1', day: DAY });
  await releaseNodeCapacity(c, { nodeId, orderId: 'o1', day: DAY });
  await releaseNodeCapacity(c, { nodeId, orderId: 'never', day: DAY });
  expect(await record(nodeId)).toMatchObject({ used: 0, orders: {} });
  expect(await claimNodeCapacity(c, { nodeId, orderId: 'o2', day: DAY }, 1)).toBe('claimed');
});

test('racing claims on a node with capacity 3 let exactly three orders in', async () => {
  const nodeId = freshNode();
  const outcomes = await Promise.all(
    Array.from({ length: 25 }, (_, i) => claimNodeCapacity(c, { nodeId, orderId: `o${i}`, day: DAY }, 3)),
  );
  expect(outcomes.filter((outcome) => outcome === 'claimed')).toHaveLength(3);
  const stored = await record(nodeId);
  expect(stored?.used).toBe(3);
  expect(Object.keys(stored?.orders ?? {})).toHaveLength(3);
});

test('usedCapacity counts one day per node and leaves out nodes without a record', async () => {
  const busy = freshNode();
  const idle = freshNode();
  await claimNodeCapacity(c, { nodeId: busy, orderId: 'o1', day: DAY }, undefined);
  await claimNodeCapacity(c, { nodeId: busy, orderId: 'o1', day: '2025-03-15' }, undefined);
  const used = await usedCapacity(c, [busy, idle], DAY);
  expect(used.get(busy)).toBe(1);
  expect(used.get(idle)).toBeUndefined();
});
