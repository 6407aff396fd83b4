import { z } from 'zod';
import { Identifier } from '../domain/order-request';

/** `{orderId}` in a path. */
export const OrderIdParams = z.object({ orderId: Identifier }).strict();
