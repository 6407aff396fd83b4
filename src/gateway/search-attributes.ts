import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** The search attributes the dev server registers, so runs can be filtered in the Temporal UI. */
export const OrderIdAttribute = defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD);
export const CustomerIdAttribute = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const ChannelAttribute = defineSearchAttributeKey('Channel', SearchAttributeType.KEYWORD);
export const OrderStatusAttribute = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
