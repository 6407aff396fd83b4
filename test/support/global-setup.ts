// Placeholder until the dev-services launcher lands: uses servers given by TEMPORAL_ADDRESS / MONGODB_URI.
export default async function globalSetup(): Promise<void> {
  process.env.TEMPORAL_ADDRESS ??= '127.0.0.1:7233';
  process.env.MONGODB_URI ??= 'mongodb://127.0.0.1:27017/couture_test';
}
