import type { SourcingRequest } from './sourcing-request';
import type { SourcingResult } from './sourcing-result';

/**
 * Sourcing again after a node rejected a fulfilment: the rejecting nodes' stock of the request's SKUs is
 * set aside (its count was just proven wrong), so the engine cannot send the units back to them. The
 * nodes stay in the network (a pickup store is still where the customer collects; inbound supply still counts).
 */
export function withoutStockAt(request: SourcingRequest, nodeIds: readonly string[]): SourcingRequest {
  if (nodeIds.length === 0) return request;
  const availability: SourcingRequest['availability'] = {};
  for (const [sku, atNodes] of Object.entries(request.availability)) {
    availability[sku] = Object.fromEntries(
      Object.entries(atNodes).filter(([nodeId]) => !nodeIds.includes(nodeId)),
    );
  }
  return { ...request, availability };
}

/** The decision record names the set-aside nodes as excluded for having `rejected` these units. */
export function markRejectingNodes(result: SourcingResult, nodeIds: readonly string[]): SourcingResult {
  if (nodeIds.length === 0) return result;
  const excluded: SourcingResult['decision']['excluded'] = {};
  for (const [reason, ids] of Object.entries(result.decision.excluded)) {
    const kept = ids.filter((id) => !nodeIds.includes(id));
    if (kept.length > 0) excluded[reason as keyof typeof excluded] = kept;
  }
  excluded.rejected = [...nodeIds].sort();
  return { ...result, decision: { ...result.decision, excluded } };
}
