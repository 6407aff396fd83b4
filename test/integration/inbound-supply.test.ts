import { ConflictError, NotFoundError } from '../../src/errors';
import { createInbound, listInbound, nextInbound, readInbound } from '../../src/inventory/inbound-repository';
import { receiveInbound } from '../../src/inventory/receive-inbound';
import { reconcileInventory } from '../../src/inventory/reconcile';
import { createStockRepository } from '../../src/inventory/stock-repository';
import {
  listStockWaiters,
  registerStockWaiter,
  unregisterStockWaiter,
  type StockArrivalNotifier,
} from '../../src/inventory/stock-waiters';
import { retryOwedWakeUps } from '../../src/inventory/wake-up-retries';
import type { StockArrived } from '../../workflows/stock.messages';
import {
  crashingCollections,
  openInventoryDb,
  SimulatedCrash,
  type InventoryDb,
} from './support/inventory-db';

let db: InventoryDb;
let skuCounter = 0;
const nextSku = (): string => `INB-${++skuCounter}`;
const source = 'test';

beforeAll(async () => {
  db = await openInventoryDb('inbound_supply', 3);
});
afterAll(() => db.close());

const expect10 = (sku: string, nodeId = 'N1', expectedAt = '2030-01-10T00:00:00.000Z') =>
  createInbound(db.collections, { sku, nodeId, quantity: 10, expectedAt, source });
const onHand = async (sku: string, nodeId = 'N1') =>
  (await createStockRepository(db.collections).getRecord(sku, nodeId))?.onHand ?? 0;
const clean = async (sku: string) => (await reconcileInventory(db.collections, { skus: [sku] })).drift;

describe('recording inbound supply', () => {
  test('an inbound starts expected with nothing received', async () => {
    const sku = nextSku();
    const inbound = await createInbound(db.collections, {
      sku,
      nodeId: 'N1',
      quantity: 10,
      expectedAt: '2030-01-10T09:00:00+02:00',
      source,
    });
    expect(inbound).toEqual({
      inboundId: expect.stringMatching(/^IN-/),
      sku,
      nodeId: 'N1',
      quantity: 10,
      expectedAt: '2030-01-10T07:00:00.000Z',
      receivedQuantity: 0,
      status: 'expected',
    });
    expect(await readInbound(db.collections, inbound.inboundId)).toEqual(inbound);
  });

  test('the list is filtered by SKU, earliest first', async () => {
    const sku = nextSku();
    const late = await expect10(sku, 'N1', '2030-02-01T00:00:00.000Z');
    const early = await expect10(sku, 'N2', '2030-01-01T00:00:00.000Z');
    await expect10(nextSku());
    const list = await listInbound(db.collections, { sku });
    expect(list.map((inbound) => inbound.inboundId)).toEqual([early.inboundId, late.inboundId]);
  });

  test('next inbound is the earliest supply still to come, per SKU and per node', async () => {
    const sku = nextSku();
    const first = await expect10(sku, 'N1', '2030-01-01T00:00:00.000Z');
    await expect10(sku, 'N1', '2030-03-01T00:00:00.000Z');
    await expect10(sku, 'N2', '2030-02-01T00:00:00.000Z');
    await receiveInbound(db.collections, { inboundId: first.inboundId, quantity: 4, source });
    expect((await nextInbound(db.collections, [sku, 'NONE'])).get(sku)).toEqual({
      quantity: 6,
      expectedAt: '2030-01-01T00:00:00.000Z',
      nodes: [
        { nodeId: 'N1', quantity: 6, expectedAt: '2030-01-01T00:00:00.000Z' },
        { nodeId: 'N2', quantity: 10, expectedAt: '2030-02-01T00:00:00.000Z' },
      ],
    });
    await receiveInbound(db.collections, { inboundId: first.inboundId, source });
    expect((await nextInbound(db.collections, [sku])).get(sku)?.expectedAt).toBe('2030-02-01T00:00:00.000Z');
  });
});

describe('receiving', () => {
  test('a partial receipt moves those units to on-hand, the rest stays expected', async () => {
    const sku = nextSku();
    const { inboundId } = await expect10(sku);
    const result = await receiveInbound(db.collections, { inboundId, quantity: 4, source });
    expect(result.inbound).toMatchObject({ receivedQuantity: 4, status: 'partially_received' });
    expect(result.receipt).toEqual({ seq: 1, quantity: 4 });
    expect(await onHand(sku)).toBe(4);
  });

  test('without a quantity everything still expected is received', async () => {
    const sku = nextSku();
    const { inboundId } = await expect10(sku);
    await receiveInbound(db.collections, { inboundId, quantity: 3, source });
    const result = await receiveInbound(db.collections, { inboundId, source });
    expect(result.inbound).toMatchObject({ receivedQuantity: 10, status: 'received' });
    expect(await onHand(sku)).toBe(10);
    expect(await db.collections.stockLedger.countDocuments({ sku, movement: 'receipt' })).toBe(2);
  });

  test('receiving onto existing stock adds to it', async () => {
    const sku = nextSku();
    await createStockRepository(db.collections).setCount({ sku, nodeId: 'N1', onHand: 5, source });
    const { inboundId } = await expect10(sku);
    await receiveInbound(db.collections, { inboundId, source });
    expect(await onHand(sku)).toBe(15);
    expect(await clean(sku)).toEqual([]);
  });

  test('receiving more than is still expected is a conflict', async () => {
    const { inboundId } = await expect10(nextSku());
    await receiveInbound(db.collections, { inboundId, quantity: 8, source });
    await expect(receiveInbound(db.collections, { inboundId, quantity: 3, source })).rejects.toMatchObject({
      status: 409,
      type: 'over-receipt',
    });
  });

  test('receiving an inbound received in full is a conflict', async () => {
    const { inboundId } = await expect10(nextSku());
    await receiveInbound(db.collections, { inboundId, source });
    await expect(receiveInbound(db.collections, { inboundId, source })).rejects.toBeInstanceOf(ConflictError);
  });

  test('an unknown inbound is not found', async () => {
    await expect(receiveInbound(db.collections, { inboundId: 'IN-nope', source })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  test('concurrent receives over separate connections never receive more than was expected', async () => {
    const sku = nextSku();
    const { inboundId } = await expect10(sku);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        receiveInbound(db.handles[i % db.handles.length]!, { inboundId, quantity: 1, source }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    expect(await readInbound(db.collections, inboundId)).toMatchObject({ receivedQuantity: 10 });
    expect(await onHand(sku)).toBe(10);
    expect(await clean(sku)).toEqual([]);
  });

  test('the same request retried concurrently is received once', async () => {
    const sku = nextSku();
    const { inboundId } = await expect10(sku);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        receiveInbound(db.handles[i % db.handles.length]!, {
          inboundId,
          quantity: 4,
          source,
          requestKey: 'k1',
        }),
      ),
    );
    expect(new Set(results.map((r) => r.receipt.seq))).toEqual(new Set([1]));
    expect(await onHand(sku)).toBe(4);
  });

  test('a crash after the receipt was claimed is completed by the retry, counting it once', async () => {
    const sku = nextSku();
    const { inboundId } = await expect10(sku);
    const crashing = crashingCollections(db.collections, 'inventory', 'updateOne');
    await expect(
      receiveInbound(crashing, { inboundId, quantity: 4, source, requestKey: 'k1' }),
    ).rejects.toBeInstanceOf(SimulatedCrash);
    expect(await onHand(sku)).toBe(0);
    const retry = await receiveInbound(db.collections, { inboundId, quantity: 4, source, requestKey: 'k1' });
    expect(retry).toMatchObject({ replayed: true, receipt: { seq: 1, quantity: 4 } });
    expect(await onHand(sku)).toBe(4);
    expect(await clean(sku)).toEqual([]);
  });

  test('a crash after on-hand moved leaves the ledger line in the outbox until a flush', async () => {
    const sku = nextSku();
    const { inboundId } = await expect10(sku);
    const crashing = crashingCollections(db.collections, 'stockLedger', 'updateOne');
    await expect(receiveInbound(crashing, { inboundId, quantity: 4, source })).rejects.toBeInstanceOf(
      SimulatedCrash,
    );
    expect(await onHand(sku)).toBe(4);
    const report = await reconcileInventory(db.collections, { skus: [sku] });
    expect(report).toMatchObject({ unflushed: 1, drift: [] });
    await reconcileInventory(db.collections, { skus: [sku], repair: true });
    expect(await db.collections.stockLedger.countDocuments({ sku, movement: 'receipt' })).toBe(1);
    expect(await reconcileInventory(db.collections, { skus: [sku] })).toMatchObject({
      unflushed: 0,
      drift: [],
    });
  });

  test('a receipt claimed but never counted is reported, and counted once by a repair', async () => {
    const sku = nextSku();
    await createStockRepository(db.collections).setCount({ sku, nodeId: 'N1', onHand: 1, source });
    const { inboundId } = await expect10(sku);
    const crashing = crashingCollections(db.collections, 'inventory', 'updateOne');
    await expect(receiveInbound(crashing, { inboundId, quantity: 4, source })).rejects.toBeInstanceOf(
      SimulatedCrash,
    );
    const report = await reconcileInventory(db.collections, { skus: [sku] });
    expect(report.drift).toEqual([
      expect.objectContaining({ check: 'receipt_not_counted', expected: 1, actual: 0 }),
    ]);
    await reconcileInventory(db.collections, { skus: [sku], repair: true });
    await reconcileInventory(db.collections, { skus: [sku], repair: true });
    expect(await onHand(sku)).toBe(5);
    expect(await clean(sku)).toEqual([]);
  });
});

describe('waking orders that wait for the SKU', () => {
  test('every waiter of the SKU is told what arrived; ended workflows are forgotten', async () => {
    const sku = nextSku();
    await registerStockWaiter(db.collections, { sku, orderId: 'o1', workflowId: 'order:o1' });
    await registerStockWaiter(db.collections, { sku, orderId: 'o2', workflowId: 'order:o2' });
    await registerStockWaiter(db.collections, { sku: nextSku(), orderId: 'o3', workflowId: 'order:o3' });
    const told: [string, StockArrived][] = [];
    const notify: StockArrivalNotifier = async (workflowId, arrival) => {
      told.push([workflowId, arrival]);
      return workflowId === 'order:o2' ? 'gone' : 'notified';
    };
    const { inboundId } = await expect10(sku, 'N2');
    const result = await receiveInbound(db.collections, { inboundId, quantity: 6, source }, notify);
    expect(told.sort()).toEqual([
      ['order:o1', { sku, nodeId: 'N2', quantity: 6 }],
      ['order:o2', { sku, nodeId: 'N2', quantity: 6 }],
    ]);
    expect(result.waiters).toEqual({ notified: 1, removed: 1, failed: 0 });
    expect(await db.collections.stockWaiters.countDocuments({ sku })).toBe(1);
  });

  test('a waiter that cannot be told now stays registered and the receipt still counts', async () => {
    const sku = nextSku();
    await registerStockWaiter(db.collections, { sku, orderId: 'o1', workflowId: 'order:o1' });
    const notify: StockArrivalNotifier = () => Promise.reject(new Error('Temporal unavailable'));
    const { inboundId } = await expect10(sku);
    const result = await receiveInbound(db.collections, { inboundId, source }, notify);
    expect(result.waiters).toEqual({ notified: 0, removed: 0, failed: 1 });
    expect(await onHand(sku)).toBe(10);
    expect(await db.collections.stockWaiters.countDocuments({ sku })).toBe(1);
  });

  test('registering the same waiter twice keeps one', async () => {
    const sku = nextSku();
    await registerStockWaiter(db.collections, { sku, orderId: 'o1', workflowId: 'order:o1' });
    await registerStockWaiter(db.collections, { sku, orderId: 'o1', workflowId: 'order:o1' });
    expect(await db.collections.stockWaiters.find({ sku }).toArray()).toEqual([
      { _id: `${sku}:o1`, sku, orderId: 'o1', workflowId: 'order:o1', registeredAt: expect.any(String) },
    ]);
  });

  test('an unregistered waiter is no longer found', async () => {
    const sku = nextSku();
    await registerStockWaiter(db.collections, { sku, orderId: 'o1', workflowId: 'order:o1' });
    await registerStockWaiter(db.collections, { sku, orderId: 'o2', workflowId: 'order:o2' });
    await unregisterStockWaiter(db.collections, { sku, orderId: 'o1' });
    expect((await listStockWaiters(db.collections, sku)).map((w) => w.orderId)).toEqual(['o2']);
  });
});

describe('no wake-up is lost', () => {
  // Other tests of this file leave wake-ups owed too: each test looks at its own SKU's.
  const recorder = (sku: string) => {
    const told: [string, StockArrived][] = [];
    const notify: StockArrivalNotifier = (workflowId, arrival) => {
      if (arrival.sku === sku) told.push([workflowId, arrival]);
      return Promise.resolve('notified');
    };
    return { told, notify };
  };
  const unreachable: StockArrivalNotifier = () => Promise.reject(new Error('Temporal unavailable'));

  test('a wake-up Temporal could not take stays owed and the retry pass delivers it once', async () => {
    const sku = nextSku();
    await registerStockWaiter(db.collections, { sku, orderId: 'o1', workflowId: 'order:o1' });
    const { inboundId } = await expect10(sku);
    await receiveInbound(db.collections, { inboundId, quantity: 4, source }, unreachable);
    expect((await db.collections.inbound.findOne({ _id: inboundId }))?.wakePending).toBe(true);

    const { told, notify } = recorder(sku);
    await retryOwedWakeUps(db.collections, notify);
    expect(told).toEqual([['order:o1', { sku, nodeId: 'N1', quantity: 4 }]]);
    expect((await db.collections.inbound.findOne({ _id: inboundId }))?.wakePending).toBeUndefined();
    await retryOwedWakeUps(db.collections, notify);
    expect(told).toHaveLength(1);
  });

  test('a receipt whose process died before waking anyone is woken by the retry pass', async () => {
    const sku = nextSku();
    await registerStockWaiter(db.collections, { sku, orderId: 'o1', workflowId: 'order:o1' });
    const { inboundId } = await expect10(sku);
    await receiveInbound(db.collections, { inboundId, quantity: 3, source }); // no notifier: it "died" there
    const { told, notify } = recorder(sku);
    await retryOwedWakeUps(db.collections, notify);
    expect(told).toEqual([['order:o1', { sku, nodeId: 'N1', quantity: 3 }]]);
    expect(await onHand(sku)).toBe(3);
  });

  test('owed receipts add up into one wake-up', async () => {
    const sku = nextSku();
    await registerStockWaiter(db.collections, { sku, orderId: 'o1', workflowId: 'order:o1' });
    const { inboundId } = await expect10(sku);
    await receiveInbound(db.collections, { inboundId, quantity: 3, source }, unreachable);
    await receiveInbound(db.collections, { inboundId, quantity: 2, source }, unreachable);
    const { told, notify } = recorder(sku);
    await retryOwedWakeUps(db.collections, notify);
    expect(told).toEqual([['order:o1', { sku, nodeId: 'N1', quantity: 5 }]]);
  });

  test('a delivered wake-up is not repeated by the retry pass', async () => {
    const sku = nextSku();
    await registerStockWaiter(db.collections, { sku, orderId: 'o1', workflowId: 'order:o1' });
    const { inboundId } = await expect10(sku);
    const first = recorder(sku);
    await receiveInbound(db.collections, { inboundId, quantity: 3, source }, first.notify);
    const again = recorder(sku);
    await retryOwedWakeUps(db.collections, again.notify);
    expect(first.told).toHaveLength(1);
    expect(again.told).toEqual([]);
  });
});
