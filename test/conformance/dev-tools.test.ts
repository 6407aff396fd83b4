import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient } from 'mongodb';
import { findFreePort } from '../../src/dev/free-port';
import { installMongoServer } from '../../src/dev/install-mongo-server';
import { installTemporal } from '../../src/dev/install-temporal';
import { spawnService } from '../../src/dev/processes';
import { projectPath } from '../../src/dev/project-paths';
import { mongoUriWithDatabase, startMongo } from '../../src/dev/start-mongo';

// The self-provisioning tooling behind `npm start` and `npm test`, checked on the real processes.

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

test('installing the tools a second time returns at once without installing anything', async () => {
  const messages: string[] = [];
  const log = (line: string): void => {
    messages.push(line);
  };
  await Promise.all([installTemporal(log), installMongoServer(log)]); // installs only if this machine lacks them
  messages.length = 0;

  const started = Date.now();
  const [temporal, mongo] = await Promise.all([installTemporal(log), installMongoServer(log)]);

  expect(Date.now() - started).toBeLessThan(1000);
  expect(messages).toEqual([]);
  expect(existsSync(temporal.temporalPath)).toBe(true);
  expect(existsSync(temporal.testServerPath)).toBe(true);
  expect(mongo.classpath).toContain('mongo-java-server');
});

test('the database URI helper swaps the database and keeps the options', () => {
  expect(mongoUriWithDatabase('mongodb://127.0.0.1:27017/couture_test', 'other')).toBe(
    'mongodb://127.0.0.1:27017/other',
  );
  expect(mongoUriWithDatabase('mongodb://h1:1,h2:2/couture?replicaSet=rs0', 'other')).toBe(
    'mongodb://h1:1,h2:2/other?replicaSet=rs0',
  );
  expect(mongoUriWithDatabase('mongodb://127.0.0.1:27017', 'other')).toBe('mongodb://127.0.0.1:27017/other');
});

test('a service that ignores SIGTERM is killed once the stop timeout has passed', async () => {
  const stubborn = spawnService({
    name: 'stubborn',
    command: process.execPath,
    args: [
      '-e',
      "process.on('SIGTERM', () => console.log('ignored')); console.log('up'); setInterval(() => {}, 1000);",
    ],
    output: 'ignore',
  });
  // Its SIGTERM handler exists once it says "up" (a fixed pause was too short on a loaded machine).
  await stubborn.waitForLine(/^up$/, 10_000);

  const status = await stubborn.stop(300);

  expect(status.signal).toBe('SIGKILL');
  expect(stubborn.running).toBe(false);
});

test('a tethered command is stopped when the process that launched it goes away', async () => {
  // The launcher's end of stdin closing is what a crash of the launcher looks like to the tether.
  const tether = spawn(
    process.execPath,
    [
      projectPath('scripts', 'tether.mjs'),
      process.execPath,
      '-e',
      'console.log(process.pid); setInterval(() => {}, 1000);',
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const commandPid = await new Promise<number>((resolve) =>
    tether.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString()))),
  );
  expect(isAlive(commandPid)).toBe(true);

  tether.stdin.end();

  expect(await waitUntil(() => !isAlive(commandPid), 5000)).toBe(true);
});

test('the file-backed database keeps its documents across a clean restart', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'couture-h2-'));
  const options = {
    tools: await installMongoServer(),
    port: await findFreePort(),
    backend: { h2File: path.join(folder, 'mongo.mv') },
    output: 'ignore',
  } as const;
  try {
    const first = await startMongo(options);
    const writer = await new MongoClient(mongoUriWithDatabase(first.uri, 'restart')).connect();
    await writer.db().collection('notes').insertOne({ text: 'still here' });
    await writer.close();
    await first.stop();

    const second = await startMongo(options);
    const reader = await new MongoClient(mongoUriWithDatabase(second.uri, 'restart')).connect();
    const found = await reader
      .db()
      .collection('notes')
      .findOne({}, { projection: { _id: 0 } });
    await reader.close();
    await second.stop();

    expect(found).toEqual({ text: 'still here' });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
