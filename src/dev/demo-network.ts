import type { NodeDoc, ProductDoc } from '../db/documents';

/** The demo retailer: two warehouses, four stores and a drop-ship vendor, at their real coordinates. */
export const DEMO_NODES: Omit<NodeDoc, 'updatedAt'>[] = [
  {
    _id: 'WH-PARIS-NORD',
    name: 'Paris Nord distribution centre (Gonesse)',
    type: 'warehouse',
    location: { lat: 48.9866, lon: 2.4485, postalCode: '95500', country: 'FR' },
    capabilities: ['ship', 'return'],
    dailyOrderCapacity: 5000,
    priority: 1,
  },
  {
    _id: 'WH-LYON-SUD',
    name: 'Lyon Sud distribution centre (Saint-Priest)',
    type: 'warehouse',
    location: { lat: 45.6955, lon: 4.9436, postalCode: '69800', country: 'FR' },
    capabilities: ['ship', 'return'],
    dailyOrderCapacity: 3000,
    priority: 2,
  },
  {
    _id: 'ST-PARIS-MARAIS',
    name: 'Store Paris Le Marais',
    type: 'store',
    location: { lat: 48.8589, lon: 2.3622, postalCode: '75003', country: 'FR' },
    capabilities: ['ship', 'pickup', 'return'],
    dailyOrderCapacity: 150,
    priority: 5,
  },
  {
    _id: 'ST-LYON-PRESQUILE',
    name: 'Store Lyon Presqu’île',
    type: 'store',
    location: { lat: 45.7606, lon: 4.8357, postalCode: '69002', country: 'FR' },
    capabilities: ['ship', 'pickup', 'return'],
    dailyOrderCapacity: 100,
    priority: 5,
  },
  {
    _id: 'ST-MARSEILLE-PRADO',
    name: 'Store Marseille Prado',
    type: 'store',
    location: { lat: 43.2723, lon: 5.3906, postalCode: '13008', country: 'FR' },
    capabilities: ['pickup', 'return'],
    dailyOrderCapacity: 80,
    priority: 6,
  },
  {
    _id: 'ST-BORDEAUX-CHARTRONS',
    name: 'Store Bordeaux Chartrons',
    type: 'store',
    location: { lat: 44.8521, lon: -0.5698, postalCode: '33000', country: 'FR' },
    capabilities: ['ship', 'pickup', 'return'],
    dailyOrderCapacity: 80,
    priority: 6,
  },
  {
    _id: 'DS-MILANO-ATELIER',
    name: 'Atelier Milano (drop-ship vendor)',
    type: 'dropship',
    location: { lat: 45.4642, lon: 9.19, postalCode: '20121', country: 'IT' },
    capabilities: ['ship'],
    dailyOrderCapacity: 200,
    priority: 9,
  },
];

/** A small catalogue; prices in minor units (EUR cents). */
export const DEMO_PRODUCTS: Omit<ProductDoc, 'updatedAt'>[] = [
  { _id: 'TRENCH-BEIGE-M', name: 'Trench coat, beige, M', priceMinor: 32900, currency: 'EUR', weightGrams: 1400 },
  { _id: 'TRENCH-BEIGE-L', name: 'Trench coat, beige, L', priceMinor: 32900, currency: 'EUR', weightGrams: 1450 },
  { _id: 'SHIRT-OXFORD-WHITE-M', name: 'Oxford shirt, white, M', priceMinor: 8900, currency: 'EUR', weightGrams: 300 },
  { _id: 'SHIRT-OXFORD-BLUE-M', name: 'Oxford shirt, blue, M', priceMinor: 8900, currency: 'EUR', weightGrams: 300 },
  { _id: 'JEANS-SLIM-32', name: 'Slim jeans, indigo, 32', priceMinor: 12900, currency: 'EUR', weightGrams: 700 },
  { _id: 'SNEAKER-LEATHER-42', name: 'Leather sneakers, 42', priceMinor: 15900, currency: 'EUR', weightGrams: 1100, returnWindowDays: 60 },
  { _id: 'SCARF-CASHMERE-GREY', name: 'Cashmere scarf, grey', priceMinor: 19900, currency: 'EUR', weightGrams: 200 },
  { _id: 'BAG-TOTE-MILANO', name: 'Leather tote (made to order in Milan)', priceMinor: 45900, currency: 'EUR', weightGrams: 900 },
];

/** Opening stock per SKU and node: [sku, nodeId, onHand, safetyStock]. */
export const DEMO_STOCK: [string, string, number, number][] = [
  ['TRENCH-BEIGE-M', 'WH-PARIS-NORD', 120, 5],
  ['TRENCH-BEIGE-M', 'WH-LYON-SUD', 60, 5],
  ['TRENCH-BEIGE-M', 'ST-PARIS-MARAIS', 4, 1],
  ['TRENCH-BEIGE-L', 'WH-PARIS-NORD', 80, 5],
  ['TRENCH-BEIGE-L', 'ST-LYON-PRESQUILE', 3, 0],
  ['SHIRT-OXFORD-WHITE-M', 'WH-PARIS-NORD', 400, 10],
  ['SHIRT-OXFORD-WHITE-M', 'WH-LYON-SUD', 250, 10],
  ['SHIRT-OXFORD-WHITE-M', 'ST-PARIS-MARAIS', 12, 2],
  ['SHIRT-OXFORD-WHITE-M', 'ST-BORDEAUX-CHARTRONS', 8, 2],
  ['SHIRT-OXFORD-BLUE-M', 'WH-LYON-SUD', 180, 10],
  ['SHIRT-OXFORD-BLUE-M', 'ST-MARSEILLE-PRADO', 6, 1],
  ['JEANS-SLIM-32', 'WH-PARIS-NORD', 300, 10],
  ['JEANS-SLIM-32', 'WH-LYON-SUD', 150, 10],
  ['JEANS-SLIM-32', 'ST-LYON-PRESQUILE', 10, 2],
  ['SNEAKER-LEATHER-42', 'WH-PARIS-NORD', 90, 5],
  ['SNEAKER-LEATHER-42', 'ST-BORDEAUX-CHARTRONS', 5, 1],
  ['SCARF-CASHMERE-GREY', 'WH-PARIS-NORD', 70, 3],
  ['SCARF-CASHMERE-GREY', 'ST-PARIS-MARAIS', 6, 1],
  ['SCARF-CASHMERE-GREY', 'ST-MARSEILLE-PRADO', 4, 1],
  ['BAG-TOTE-MILANO', 'DS-MILANO-ATELIER', 25, 0],
];
