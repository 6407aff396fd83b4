// Every workflow the worker registers; only workflow functions are exported here.
export { orderWorkflow } from './order.workflow';
export { simulateFulfillmentWorkflow } from './simulate-fulfillment.workflow';
export { fulfillmentWorkflow } from './fulfillment.workflow';
export { returnWorkflow } from './return.workflow';
export { noopWorkflow } from './noop.workflow';
export { benchActivitiesWorkflow } from './bench-activities.workflow';
export { cartHoldWorkflow } from './cart-hold.workflow';
