import { MongoClient, type Db } from 'mongodb';

/** Connects to MongoDB (or the MongoDB-compatible dev server); the database name comes from the URI. */
export async function connectDatabase(uri: string): Promise<{ client: MongoClient; db: Db }> {
  const client = new MongoClient(uri, { maxPoolSize: 20, serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  return { client, db: client.db() };
}
