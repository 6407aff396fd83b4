import { mongoUriWithDatabase } from '../../src/dev/start-mongo';

function required(name: 'TEMPORAL_ADDRESS' | 'MONGODB_URI' | 'TEMPORAL_TEST_SERVER_PATH'): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run the tests through Jest, whose global setup starts the servers`);
  return value;
}

/** URI of a database of its own on the suite's MongoDB server: one per test file keeps parallel files apart. */
export function testMongoUri(database: string): string {
  return mongoUriWithDatabase(required('MONGODB_URI'), database);
}

/** host:port of the suite's Temporal server (namespace default, search attributes registered). */
export function temporalAddress(): string {
  return required('TEMPORAL_ADDRESS');
}

/** The time-skipping test server binary, for TestWorkflowEnvironment.createTimeSkipping({ server: { executable } }). */
export function testServerPath(): string {
  return required('TEMPORAL_TEST_SERVER_PATH');
}

/** The `server.executable` option of @temporalio/testing that points at the installed time-skipping server. */
export function testServerExecutable(): { type: 'existing-path'; path: string } {
  return { type: 'existing-path', path: testServerPath() };
}
