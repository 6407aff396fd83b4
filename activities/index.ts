import { createBenchActivities } from './bench.activities';
import { createCartHoldActivities } from './cart-hold.activities';
import { createCapacityActivities } from './capacity.activities';
import { createCarrierActivities } from './carrier.activities';
import type { ActivityDeps } from './deps';
import { createDeliveryQuoteActivities } from './delivery-quote.activities';
import { createFulfillmentActivities } from './fulfillment.activities';
import { createNotificationActivities } from './notification.activities';
import { createPaymentActivities } from './payment.activities';
import { createReadModelActivities } from './read-model.activities';
import { createReturnActivities } from './return.activities';
import { createSimulationActivities } from './simulation.activities';
import { createSourcingActivities } from './sourcing.activities';
import { createStockActivities } from './stock.activities';
import { createStockWaiterActivities } from './stock-waiter.activities';
import { createTransferActivities } from './transfer.activities';

export type { ActivityDeps } from './deps';
export { FAILURE_TYPES } from './failures';

/** Every activity the worker registers, built from injected dependencies (tests pass fakes). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSourcingActivities(deps),
    ...createDeliveryQuoteActivities(deps),
    ...createStockActivities(deps),
    ...createStockWaiterActivities(deps),
    ...createCartHoldActivities(deps),
    ...createCapacityActivities(deps),
    ...createPaymentActivities(deps),
    ...createFulfillmentActivities(deps),
    ...createCarrierActivities(deps),
    ...createReadModelActivities(deps),
    ...createSimulationActivities(deps),
    ...createNotificationActivities(deps),
    ...createReturnActivities(deps),
    ...createTransferActivities(deps),
    ...createBenchActivities(),
  };
}

/** The activity interface workflows proxy (import it with `import type`). */
export type OrderActivities = ReturnType<typeof createActivities>;
