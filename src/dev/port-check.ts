import { createServer } from 'node:net';
import { SetupError } from './setup-error';

/** Resolves true when nothing listens on host:port (we could bind it ourselves). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export interface PortClaim {
  port: number;
  /** What wants it, e.g. "the Temporal dev server". */
  what: string;
  /** The environment variable that moves it. */
  envName: string;
}

/** Fails with one message naming every taken port and how to move it, before anything is started. */
export async function assertPortsFree(claims: readonly PortClaim[], host = '127.0.0.1'): Promise<void> {
  const taken = [];
  for (const claim of claims) {
    if (!(await isPortFree(claim.port, host))) taken.push(claim);
  }
  if (taken.length > 0) {
    const lines = taken.map(
      (claim) => `  ${host}:${claim.port} (${claim.what}): set ${claim.envName} to another port`,
    );
    throw new SetupError(`Ports already in use (is another stack running?):\n${lines.join('\n')}`);
  }
}
