import { suggestDisposition } from '../../../src/domain/returns/disposition';
import { markReturnedLines, returnedOrderStatus } from '../../../src/domain/returns/order-returns-status';
import { familyOfSku } from '../../../src/domain/returns/return-policy';
import { deliveredOrder, rma } from './return-fixtures';

test('units stay at the receiving store when it sells the SKU most', () => {
  expect(
    suggestDisposition({ sku: 'S', nodeId: 'ST-1', quantity: 1, shippedByNode: { 'ST-1': 5, 'ST-2': 3 } }),
  ).toMatchObject({ action: 'keep' });
  expect(suggestDisposition({ sku: 'S', nodeId: 'ST-1', quantity: 1, shippedByNode: {} })).toMatchObject({
    action: 'keep',
    reason: 'no sales recorded elsewhere',
  });
});

test('units are suggested for transfer to the node where the SKU sells most', () => {
  expect(
    suggestDisposition({
      sku: 'S',
      nodeId: 'ST-1',
      quantity: 2,
      shippedByNode: { 'ST-1': 1, 'ST-2': 3, WH: 7 },
    }),
  ).toEqual({
    sku: 'S',
    nodeId: 'ST-1',
    quantity: 2,
    action: 'transfer',
    toNodeId: 'WH',
    reason: 'sells most at WH (7 shipped, 1 at ST-1)',
  });
});

test('the order is partially returned, then returned once every delivered unit is back', () => {
  const some = rma({ status: 'completed' });
  some.lines[0]!.received = { sellable: 1, damaged: 0 };
  const view = deliveredOrder({ returns: [some] });
  expect(returnedOrderStatus(deliveredOrder())).toBeUndefined();
  expect(returnedOrderStatus(view)).toBe('partially_returned');
  const rest = rma({
    rmaId: 'o1-R2',
    status: 'completed',
    lines: [
      {
        lineId: 'l1',
        sku: 'COAT-RED-M',
        quantity: 1,
        reason: 'x',
        unitPriceMinor: 4500,
        received: { sellable: 0, damaged: 1 },
      },
      {
        lineId: 'l2',
        sku: 'SKU-B',
        quantity: 1,
        reason: 'x',
        unitPriceMinor: 9000,
        received: { sellable: 1, damaged: 0 },
      },
    ],
  });
  view.returns.push(rest);
  expect(returnedOrderStatus(view)).toBe('returned');
  markReturnedLines(view);
  expect(view.lines.map((l) => l.status)).toEqual(['returned', 'returned']);
});

test('a SKU without a catalogued family belongs to its stem without colour and size', () => {
  expect(familyOfSku('TRENCH-BEIGE-M')).toBe('TRENCH');
  expect(familyOfSku('SKU-1')).toBe('SKU');
  expect(familyOfSku('PLAIN')).toBe('PLAIN');
});
