import { TransientCarrierError } from '../../src/carriers/carrier-gateway';
import { createSimulatedCarrier, simulatedTrackingNumber } from '../../src/carriers/simulated-carrier';

const request = { fulfillmentId: 'o-1-F1', orderId: 'o-1', fromNodeId: 'N1' };

describe('simulated carrier', () => {
  test('tracking numbers are SIM and twelve digits, derived from the fulfilment id', () => {
    expect(simulatedTrackingNumber('o-1-F1')).toMatch(/^SIM\d{12}$/);
    expect(simulatedTrackingNumber('o-1-F1')).toBe(simulatedTrackingNumber('o-1-F1'));
    expect(simulatedTrackingNumber('o-1-F1')).not.toBe(simulatedTrackingNumber('o-1-F2'));
  });

  test('booking the same fulfilment twice returns the same label', async () => {
    const carrier = createSimulatedCarrier({ latencyMs: { min: 0, max: 0 } });
    const first = await carrier.bookShipment(request);
    expect(await carrier.bookShipment(request)).toEqual(first);
    expect(first.labelUrl).toContain(first.trackingNumber);
  });

  test('fails transiently at the configured rate', async () => {
    const carrier = createSimulatedCarrier({
      failureRate: 1,
      random: () => 0,
      latencyMs: { min: 0, max: 0 },
    });
    await expect(carrier.bookShipment(request)).rejects.toBeInstanceOf(TransientCarrierError);
  });
});
