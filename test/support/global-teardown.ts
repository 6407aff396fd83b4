import type { DevServers } from '../../src/dev/dev-servers';
import { DEV_SERVERS_KEY } from './global-setup';

/** Stops the servers global-setup started (none when the environment named them). */
export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as Record<string, unknown>)[DEV_SERVERS_KEY] as DevServers | undefined;
  delete (globalThis as Record<string, unknown>)[DEV_SERVERS_KEY];
  await servers?.stop();
}
