import { z } from 'zod';
import { SetupError } from './setup-error';

const Port = z.coerce.number().int().min(1).max(65535);

const StackEnvironment = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: Port.default(3000),
  /** An external Temporal server; when set, the stack starts none. */
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_PORT: Port.default(7233),
  TEMPORAL_UI_PORT: Port.optional(),
  /** An external MongoDB; when set, the stack starts no database. */
  MONGODB_URI: z.string().min(1).optional(),
  MONGO_PORT: Port.default(27017),
});

/** What `npm start` starts and where, from the environment (CONTRACT.md's defaults). */
export interface StackSettings {
  gatewayHost: string;
  gatewayPort: number;
  /** Undefined when TEMPORAL_ADDRESS names an external server. */
  temporal: { port: number; uiPort: number } | undefined;
  externalTemporalAddress: string | undefined;
  /** Undefined when MONGODB_URI names an external database. */
  mongo: { port: number; database: string } | undefined;
  externalMongoUri: string | undefined;
}

/** Reads the stack's settings; a bad value is a SetupError with a plain message. */
export function readStackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const parsed = StackEnvironment.safeParse(env);
  if (!parsed.success) throw new SetupError(`Invalid configuration: ${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  return {
    gatewayHost: e.HOST,
    gatewayPort: e.PORT,
    temporal: e.TEMPORAL_ADDRESS
      ? undefined
      : { port: e.TEMPORAL_PORT, uiPort: e.TEMPORAL_UI_PORT ?? e.TEMPORAL_PORT + 1000 },
    externalTemporalAddress: e.TEMPORAL_ADDRESS,
    mongo: e.MONGODB_URI ? undefined : { port: e.MONGO_PORT, database: 'couture' },
    externalMongoUri: e.MONGODB_URI,
  };
}
