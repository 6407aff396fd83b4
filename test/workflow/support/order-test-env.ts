import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import { MongoClient, type Db } from 'mongodb';
import { createActivities, type ActivityDeps, type OrderActivities } from '../../../activities';
import { createSimulatedCarrier } from '../../../src/carriers/simulated-carrier';
import { DEV_API_KEYS, loadConfig } from '../../../src/config';
import { ensureIndexes, getCollections, type Collections } from '../../../src/db/collections';
import type { NodeDoc } from '../../../src/db/documents';
import type { OrderRequest } from '../../../src/domain/order-request';
import type { OrderStatus, OrderView } from '../../../src/domain/order-view';
import { createStockRepository, type StockRepository } from '../../../src/inventory/stock-repository';
import {
  createSimulatedPaymentGateway,
  PAYMENT_SIM_LEDGER,
  type PaymentSimLedgerDoc,
} from '../../../src/payments/simulated-payment-gateway';
import { createOrderWorker } from '../../../src/worker/create-order-worker';
import { orderWorkflowId, type OrderWorkflowInput } from '../../../workflows/order.messages';
import { bundleTestWorkflows, installQuietRuntime } from '../../support/quiet-temporal';
import { orderWorkflowInput } from './order-workflow-input';
import { waitForOrderStatus } from './wait-for-status';
import { LYON_ADDRESS } from '../../support/addresses';

export { LYON_ADDRESS };

/** A small network with real coordinates: Paris and Lyon warehouses, a Marseille store. */
export const TEST_NODES: NodeDoc[] = [
  node('WH-PARIS', 'warehouse', 48.8566, 2.3522, '75001', ['ship']),
  node('WH-LYON', 'warehouse', 45.764, 4.8357, '69001', ['ship']),
  node('ST-MARSEILLE', 'store', 43.2965, 5.3698, '13001', ['ship', 'pickup', 'return']),
];

function node(
  _id: string,
  type: NodeDoc['type'],
  lat: number,
  lon: number,
  postalCode: string,
  capabilities: NodeDoc['capabilities'],
): NodeDoc {
  return {
    _id,
    name: _id,
    type,
    location: { lat, lon, postalCode, country: 'FR' },
    capabilities,
    updatedAt: '2025-01-01T00:00:00.000Z',
  };
}

/** Servers, database, bundle and one task queue for one test file. */
export class OrderTestEnv {
  readonly taskQueue: string;
  collections!: Collections;
  stock!: StockRepository;
  client!: Client;
  private mongo!: MongoClient;
  private db!: Db;
  private connection!: Connection;
  private nativeConnection!: NativeConnection;
  private bundle!: WorkerOptions['workflowBundle'];
  private running = new Map<Worker, Promise<void>>();
  private orderCounter = 0;

  constructor(private readonly name: string) {
    this.taskQueue = `${name}-${process.pid}-${Date.now()}`;
  }

  async setUp(): Promise<void> {
    installQuietRuntime();
    this.mongo = new MongoClient(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017');
    await this.mongo.connect();
    this.db = this.mongo.db(`${this.name.replace(/[^A-Za-z0-9_]/g, '_')}_${process.pid}_${Date.now()}`);
    this.collections = getCollections(this.db);
    await ensureIndexes(this.collections);
    await this.collections.nodes.insertMany(TEST_NODES);
    this.stock = createStockRepository(this.collections);
    const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
    this.connection = await Connection.connect({ address });
    this.client = new Client({ connection: this.connection, namespace: 'default' });
    this.nativeConnection = await NativeConnection.connect({ address });
    this.bundle = await bundleTestWorkflows();
  }

  async tearDown(): Promise<void> {
    for (const worker of [...this.running.keys()]) await this.stopWorker(worker);
    await this.nativeConnection?.close();
    await this.connection?.close();
    await this.db?.dropDatabase();
    await this.mongo?.close();
  }

  get paymentOperations() {
    return this.db.collection<PaymentSimLedgerDoc>(PAYMENT_SIM_LEDGER);
  }

  /** The simulator's ledger for one order: every operation the provider accepted, summed by kind. */
  async moneyMoved(orderId: string): Promise<Record<string, number>> {
    const ops = await this.paymentOperations
      .find({ _id: { $regex: `^(auth|capture|void|refund):${orderId}` } })
      .toArray();
    const sums: Record<string, number> = {};
    for (const op of ops) sums[op.operation] = (sums[op.operation] ?? 0) + (op.amountMinor ?? 0);
    return sums;
  }

  /** Activities over the real database and simulators, with optional overrides. */
  activityDeps(overrides: Partial<ActivityDeps> = {}): ActivityDeps {
    return {
      collections: this.collections,
      payment: createSimulatedPaymentGateway({
        ledger: this.paymentOperations,
        latencyMs: { min: 0, max: 2 },
      }),
      carrier: createSimulatedCarrier({ latencyMs: { min: 0, max: 2 } }),
      // No return window: a completed order closes at once (a product's returnWindowDays still wins).
      config: loadConfig({ OMS_API_KEYS: DEV_API_KEYS, OMS_RETURN_WINDOW_DAYS: '0' }),
      ...overrides,
    };
  }

  /** Starts a worker on this file's task queue; it runs until stopped. Activities can be replaced one by one. */
  async startWorker(
    overrides: Partial<ActivityDeps> = {},
    options: Partial<WorkerOptions> = {},
    activityOverrides: Partial<OrderActivities> = {},
  ): Promise<Worker> {
    const worker = await createOrderWorker({
      connection: this.nativeConnection,
      taskQueue: this.taskQueue,
      activities: { ...createActivities(this.activityDeps(overrides)), ...activityOverrides },
      workflowBundle: this.bundle,
      options,
    });
    this.running.set(worker, worker.run());
    return worker;
  }

  async stopWorker(worker: Worker): Promise<void> {
    const run = this.running.get(worker);
    if (!run) return;
    this.running.delete(worker);
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await run;
  }

  /** A fresh SKU with this much stock at each named node. */
  async stockSku(units: Record<string, number>): Promise<string> {
    const sku = `SKU-${++this.orderCounter}-${Date.now()}`;
    for (const [nodeId, onHand] of Object.entries(units)) {
      await this.stock.setCount({ sku, nodeId, onHand, source: 'test' });
    }
    return sku;
  }

  /** Lists `sku` in the catalogue (the admin and returns routes know catalogue products only). */
  async listProduct(sku: string, product: { name: string; priceMinor: number; returnWindowDays?: number }) {
    await this.collections.products.insertOne({
      _id: sku,
      currency: 'EUR',
      weightGrams: 500,
      ...product,
      updatedAt: new Date().toISOString(),
    });
  }

  /** A valid order request to Lyon for `quantity` units of `sku`. */
  orderRequest(sku: string, overrides: Partial<OrderRequest> = {}): OrderRequest {
    return {
      orderId: `o-${this.name}-${++this.orderCounter}-${Date.now()}`,
      channel: 'web',
      customer: { id: 'cust-1', email: 'Ada@Example.com' },
      currency: 'EUR',
      lines: [{ lineId: 'l1', sku, quantity: 2, unitPriceMinor: 4500 }],
      delivery: { method: 'ship', address: LYON_ADDRESS },
      payment: { token: 'tok_ok' },
      ...overrides,
    };
  }

  /** Starts `order:<orderId>` the way the gateway does. */
  startOrder(order: OrderRequest, input: Partial<OrderWorkflowInput> = {}): Promise<WorkflowHandle> {
    const workflowInput = orderWorkflowInput(order, input);
    return this.client.workflow.start('orderWorkflow', {
      workflowId: orderWorkflowId(order.orderId),
      taskQueue: this.taskQueue,
      args: [workflowInput],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      memo: { requestHash: workflowInput.requestHash },
    });
  }

  /** Polls the live view until it reaches the status (or fails the test after the timeout). */
  async waitForStatus(handle: WorkflowHandle, status: OrderStatus, timeoutMs = 30_000): Promise<OrderView> {
    return waitForOrderStatus(handle, status, timeoutMs, 100);
  }
}
