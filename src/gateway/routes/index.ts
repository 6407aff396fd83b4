import type { Route } from '../route';
import { grantAppeasementRoute } from './appeasements';
import { availabilityRoute } from './availability';
import { createCartHoldRoute, readCartHoldRoute, releaseCartHoldRoute } from './cart-holds';
import { putCustomerProfileRoute, readCustomerRoute } from './customers';
import { deliveryOptionsRoute } from './delivery-options';
import { resolveFulfillmentRoute } from './fulfillments-resolve';
import { pickedUpRoute } from './fulfillments-picked-up';
import { readyForPickupRoute } from './fulfillments-ready';
import { rejectFulfillmentRoute } from './fulfillments-reject';
import { shipFulfillmentRoute } from './fulfillments-ship';
import { adjustStockRoute, readStockRoute, setStockCountRoute } from './inventory';
import { releaseHoldRoute, setHoldRoute } from './inventory-holds';
import { createInboundRoute, listInboundRoute, receiveInboundRoute } from './inventory-inbound';
import { reconciliationRoute, repairReconciliationRoute } from './inventory-reconciliation';
import { listNodesRoute, putNodeRoute, readNodeRoute } from './nodes';
import { searchOrdersRoute } from './order-search';
import { orderNotificationsRoute } from './order-notifications';
import { cancelOrderRoute } from './orders-cancel';
import { createOrderRoute } from './orders-create';
import { placeOrderHoldRoute, releaseOrderHoldRoute } from './orders-holds';
import { listOrdersRoute } from './orders-list';
import { modifyOrderRoute } from './orders-modify';
import { readOrderRoute } from './orders-read';
import { putProductRoute, readProductRoute } from './products';
import { createReturnRoute } from './returns-create';
import { readReturnRoute } from './returns-read';
import { receiveReturnRoute } from './returns-receive';
import { carrierWebhookRoute } from './webhooks-carrier';
import { paymentWebhookRoute } from './webhooks-payment';

/** Every `/v1` operation; the app mounts them and the OpenAPI document describes them, from this one list. */
export const API_ROUTES: readonly Route[] = [
  createOrderRoute,
  listOrdersRoute,
  searchOrdersRoute, // before readOrderRoute: `/v1/orders/search` is not an order id
  readOrderRoute,
  orderNotificationsRoute,
  cancelOrderRoute,
  modifyOrderRoute,
  placeOrderHoldRoute,
  releaseOrderHoldRoute,
  shipFulfillmentRoute,
  readyForPickupRoute,
  pickedUpRoute,
  rejectFulfillmentRoute,
  resolveFulfillmentRoute,
  carrierWebhookRoute,
  paymentWebhookRoute,
  putNodeRoute,
  listNodesRoute,
  readNodeRoute,
  putProductRoute,
  readProductRoute,
  setStockCountRoute,
  readStockRoute,
  adjustStockRoute,
  setHoldRoute,
  releaseHoldRoute,
  createInboundRoute,
  listInboundRoute,
  receiveInboundRoute,
  reconciliationRoute,
  repairReconciliationRoute,
  availabilityRoute,
  deliveryOptionsRoute,
  createCartHoldRoute,
  readCartHoldRoute,
  releaseCartHoldRoute,
  createReturnRoute,
  receiveReturnRoute,
  readReturnRoute,
  grantAppeasementRoute,
  readCustomerRoute,
  putCustomerProfileRoute,
];
