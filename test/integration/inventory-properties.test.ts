import fc from 'fast-check';
import { AppError } from '../../src/errors';
import { createInbound } from '../../src/inventory/inbound-repository';
import { receiveInbound } from '../../src/inventory/receive-inbound';
import { reconcileInventory } from '../../src/inventory/reconcile';
import { createStockRepository, type PoolCaller } from '../../src/inventory/stock-repository';
import { openInventoryDb, type InventoryDb } from './support/inventory-db';

let db: InventoryDb;
beforeAll(async () => {
  db = await openInventoryDb('inventory_properties');
});
afterAll(() => db.close());

const POOLS = ['channel:marketplace', 'segment:vip'] as const;
const CALLERS: (PoolCaller | undefined)[] = [
  undefined,
  { channel: 'web' },
  { channel: 'marketplace' },
  { segment: 'vip' },
  { channel: 'marketplace', segment: 'vip' },
];
const KEYS = ['k0', 'k1', 'k2', 'k3'];

type Command =
  | { kind: 'receive'; quantity: number; firstPart: number }
  | { kind: 'adjust'; delta: number }
  | { kind: 'count'; onHand: number; safetyStock: number }
  | { kind: 'reserve'; key: string; quantity: number; caller: PoolCaller | undefined }
  | { kind: 'release'; key: string }
  | { kind: 'consume'; key: string }
  | { kind: 'hold'; pool: string; quantity: number }
  | { kind: 'unhold'; pool: string }
  | { kind: 'resize'; key: string; quantity: number; caller: PoolCaller | undefined }
  | { kind: 'writeoff'; key: string; quantity: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('receive'), quantity: fc.integer({ min: 1, max: 8 }), firstPart: fc.nat(8) }),
  fc.record({ kind: fc.constant('adjust'), delta: fc.integer({ min: -6, max: 6 }).filter((d) => d !== 0) }),
  fc.record({ kind: fc.constant('count'), onHand: fc.nat(15), safetyStock: fc.nat(2) }),
  fc.record({
    kind: fc.constant('reserve'),
    key: fc.constantFrom(...KEYS),
    quantity: fc.integer({ min: 1, max: 5 }),
    caller: fc.constantFrom(...CALLERS),
  }),
  fc.record({ kind: fc.constant('release'), key: fc.constantFrom(...KEYS) }),
  fc.record({ kind: fc.constant('consume'), key: fc.constantFrom(...KEYS) }),
  fc.record({ kind: fc.constant('hold'), pool: fc.constantFrom(...POOLS), quantity: fc.nat(5) }),
  fc.record({ kind: fc.constant('unhold'), pool: fc.constantFrom(...POOLS) }),
  fc.record({
    kind: fc.constant('resize'),
    key: fc.constantFrom(...KEYS),
    quantity: fc.integer({ min: 0, max: 7 }),
    caller: fc.constantFrom(...CALLERS),
  }),
  fc.record({ kind: fc.constant('writeoff'), key: fc.constantFrom(...KEYS), quantity: fc.nat(6) }),
) as fc.Arbitrary<Command>;

/** The rules, stated as simply as possible: the database must agree with this after every step. */
class StockModel {
  onHand = 0;
  safetyStock = 0;
  holds = new Map<string, number>();
  reservations = new Map<string, { quantity: number; pools: Map<string, number> }>();

  get reserved() {
    return [...this.reservations.values()].reduce((sum, r) => sum + r.quantity, 0);
  }
  get held() {
    return [...this.holds.values()].reduce((sum, n) => sum + n, 0);
  }
  get available() {
    return this.onHand - this.reserved - this.safetyStock - this.held;
  }

  /** Units taken from holds go back to each hold that still exists (the rest to general availability). */
  private giveBack(pools: Map<string, number>): void {
    for (const [pool, units] of pools) {
      if (this.holds.has(pool)) this.holds.set(pool, (this.holds.get(pool) ?? 0) + units);
    }
  }

  private ownPools(caller: PoolCaller | undefined): string[] {
    return [
      ...(caller?.channel ? [`channel:${caller.channel}`] : []),
      ...(caller?.segment ? [`segment:${caller.segment}`] : []),
    ];
  }

  /** Lowering gives general units back first, then held ones, last pool first; raising takes like a reserve. */
  private resize(key: string, quantity: number, caller: PoolCaller | undefined): string {
    const reservation = this.reservations.get(key);
    if (quantity === 0) {
      if (reservation) this.apply({ kind: 'release', key });
      return 'adjusted';
    }
    if (!reservation) return 'not_reserved';
    const { pools } = reservation;
    if (quantity < reservation.quantity) {
      const general = reservation.quantity - [...pools.values()].reduce((a, b) => a + b, 0);
      let remaining = reservation.quantity - quantity - Math.min(reservation.quantity - quantity, general);
      const given = new Map<string, number>();
      for (const [pool, units] of [...pools].reverse()) {
        const n = Math.min(remaining, units);
        if (n > 0) given.set(pool, n);
        remaining -= n;
      }
      this.giveBack(given);
      for (const [pool, n] of given) {
        const left = (pools.get(pool) ?? 0) - n;
        if (left > 0) pools.set(pool, left);
        else pools.delete(pool);
      }
    } else if (quantity > reservation.quantity) {
      let remaining = quantity - reservation.quantity;
      const take = new Map<string, number>();
      for (const pool of caller ? this.ownPools(caller) : [...pools.keys()]) {
        const n = Math.min(remaining, this.holds.get(pool) ?? 0);
        if (n > 0) take.set(pool, n);
        remaining -= n;
      }
      if (remaining > 0 && this.available < remaining) return 'insufficient';
      for (const [pool, n] of take) {
        this.holds.set(pool, (this.holds.get(pool) ?? 0) - n);
        pools.set(pool, (pools.get(pool) ?? 0) + n);
      }
    }
    reservation.quantity = quantity;
    return 'adjusted';
  }

  /** The reservation is released and on-hand drops by the missing units, never below reserved + held. */
  private writeOff(key: string, quantity: number): string {
    if (!this.reservations.has(key)) return 'not_reserved';
    this.apply({ kind: 'release', key });
    this.onHand -= Math.max(0, Math.min(quantity, this.onHand - this.reserved - this.held));
    return 'written_off';
  }

  apply(cmd: Command): string {
    switch (cmd.kind) {
      case 'resize':
        return this.resize(cmd.key, cmd.quantity, cmd.caller);
      case 'writeoff':
        return this.writeOff(cmd.key, cmd.quantity);
      case 'receive':
        this.onHand += cmd.quantity;
        return 'ok';
      case 'adjust':
      case 'count': {
        const onHand = cmd.kind === 'adjust' ? this.onHand + cmd.delta : cmd.onHand;
        if (onHand < 0 || onHand < this.reserved + this.held) return 'conflict';
        this.onHand = onHand;
        if (cmd.kind === 'count') this.safetyStock = cmd.safetyStock;
        return 'ok';
      }
      case 'reserve': {
        if (this.reservations.has(cmd.key)) return 'already_reserved';
        const pools = new Map<string, number>();
        let remaining = cmd.quantity;
        const own = [
          ...(cmd.caller?.channel ? [`channel:${cmd.caller.channel}`] : []),
          ...(cmd.caller?.segment ? [`segment:${cmd.caller.segment}`] : []),
        ];
        for (const pool of own) {
          const take = Math.min(remaining, this.holds.get(pool) ?? 0);
          if (take > 0) pools.set(pool, take);
          remaining -= take;
        }
        if (remaining > 0 && this.available < remaining) return 'insufficient';
        for (const [pool, take] of pools) this.holds.set(pool, (this.holds.get(pool) ?? 0) - take);
        this.reservations.set(cmd.key, { quantity: cmd.quantity, pools });
        return 'reserved';
      }
      case 'release':
      case 'consume': {
        const reservation = this.reservations.get(cmd.key);
        if (!reservation) return 'not_reserved';
        this.reservations.delete(cmd.key);
        if (cmd.kind === 'consume') {
          this.onHand -= reservation.quantity;
          return 'consumed';
        }
        this.giveBack(reservation.pools);
        return 'released';
      }
      case 'hold': {
        const diff = cmd.quantity - (this.holds.get(cmd.pool) ?? 0);
        if (diff > 0 && this.available < diff) return 'conflict';
        this.holds.set(cmd.pool, cmd.quantity);
        return 'ok';
      }
      case 'unhold':
        if (!this.holds.has(cmd.pool)) return 'not_found';
        this.holds.delete(cmd.pool);
        return 'ok';
    }
  }
}

let runCounter = 0;

/** Runs one command against the database; answers its outcome in the model's words. */
async function run(sku: string, cmd: Command): Promise<string> {
  const c = db.collections;
  const stock = createStockRepository(c);
  const at = { sku, nodeId: 'N1', source: 'property' };
  try {
    switch (cmd.kind) {
      case 'receive': {
        const { inboundId } = await createInbound(c, {
          ...at,
          quantity: cmd.quantity,
          expectedAt: '2030-01-01T00:00:00Z',
        });
        const first = Math.min(cmd.firstPart, cmd.quantity - 1);
        if (first > 0) await receiveInbound(c, { inboundId, quantity: first, source: 'property' });
        await receiveInbound(c, { inboundId, source: 'property' });
        return 'ok';
      }
      case 'adjust':
        await stock.adjust({ ...at, delta: cmd.delta, reason: 'property' });
        return 'ok';
      case 'count':
        await stock.setCount({ ...at, onHand: cmd.onHand, safetyStock: cmd.safetyStock });
        return 'ok';
      case 'reserve':
        return await stock.reserve({
          ...at,
          key: cmd.key,
          quantity: cmd.quantity,
          ...(cmd.caller ? { pool: cmd.caller } : {}),
        });
      case 'release':
        return await stock.release({ ...at, key: cmd.key });
      case 'consume':
        return await stock.consume({ ...at, key: cmd.key });
      case 'hold':
        await stock.setHold({ ...at, pool: cmd.pool, quantity: cmd.quantity });
        return 'ok';
      case 'unhold':
        await stock.releaseHold({ ...at, pool: cmd.pool });
        return 'ok';
      case 'resize':
        return await stock.adjustReservation({
          ...at,
          key: cmd.key,
          quantity: cmd.quantity,
          ...(cmd.caller ? { pool: cmd.caller } : {}),
        });
      case 'writeoff':
        return (await stock.writeOff({ ...at, key: cmd.key, quantity: cmd.quantity, reason: 'property' }))
          .outcome;
    }
  } catch (error) {
    if (error instanceof AppError && error.status === 409) return 'conflict';
    if (error instanceof AppError && error.status === 404) return 'not_found';
    throw error;
  }
}

test('any sequence of stock movements keeps the invariant, the model and the ledger in step', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.nat(10),
      fc.array(command, { minLength: 1, maxLength: 30 }),
      async (opening, commands) => {
        const sku = `PROP-${++runCounter}`;
        const model = new StockModel();
        const stock = createStockRepository(db.collections);
        await stock.setCount({ sku, nodeId: 'N1', onHand: opening, source: 'property' });
        model.apply({ kind: 'count', onHand: opening, safetyStock: 0 });
        for (const cmd of commands) {
          expect({ cmd, outcome: await run(sku, cmd) }).toEqual({ cmd, outcome: model.apply(cmd) });
          const record = (await stock.getRecord(sku, 'N1'))!;
          expect(record.reserved).toBeGreaterThanOrEqual(0);
          expect(record.reserved + (record.held ?? 0)).toBeLessThanOrEqual(record.onHand);
          expect(record.available).toBe(
            record.onHand - record.reserved - record.safetyStock - (record.held ?? 0),
          );
          expect(record).toMatchObject({
            onHand: model.onHand,
            reserved: model.reserved,
            safetyStock: model.safetyStock,
            available: model.available,
          });
          expect(Object.fromEntries((record.holds ?? []).map((h) => [h.pool, h.quantity]))).toEqual(
            Object.fromEntries(model.holds),
          );
          const ledger = await db.collections.stockLedger.find({ sku }).toArray();
          const shipped = -ledger
            .filter((l) => l.movement === 'ship')
            .reduce((sum, l) => sum + l.onHandDelta, 0);
          const received = ledger.reduce((sum, l) => sum + Math.max(0, l.onHandDelta), 0);
          expect(shipped + record.reserved).toBeLessThanOrEqual(received); // never sold more than ever came in
          const report = await reconcileInventory(db.collections, { skus: [sku] });
          expect(report.drift).toEqual([]);
          expect(report.unflushed).toBe(0);
        }
      },
    ),
    { numRuns: 50 },
  );
});
