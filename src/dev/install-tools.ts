import { installMongoServer } from './install-mongo-server';
import { installTemporal } from './install-temporal';
import { describeFailure } from './setup-error';
import { settleAll } from './settle-all';

/**
 * Installs the tools the environment does not make unnecessary: the Temporal binaries unless TEMPORAL_ADDRESS
 * and TEMPORAL_TEST_SERVER_PATH are both set, the dev database server unless MONGODB_URI is set.
 */
export async function installNeededTools(
  env: NodeJS.ProcessEnv = process.env,
  log = console.log,
): Promise<void> {
  await settleAll([
    env.TEMPORAL_ADDRESS && env.TEMPORAL_TEST_SERVER_PATH ? undefined : installTemporal(log),
    env.MONGODB_URI ? undefined : installMongoServer(log),
  ]);
}

if (require.main === module) {
  installNeededTools().then(
    () => console.log('dev tools: installed'),
    (error: unknown) => {
      console.error(`\n${describeFailure(error)}\n`);
      process.exit(1);
    },
  );
}
