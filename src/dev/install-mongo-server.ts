import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withFileLock } from './file-lock';
import { projectPath, toolsPath } from './project-paths';
import { commandExists, runCommand, tailOf } from './run-command';
import { SetupError } from './setup-error';

/** How to launch the MongoDB-compatible dev server (tools/mongo-dev-server). */
export interface MongoServerTools {
  java: string;
  /** Compiled DevMongoServer class folder plus every jar it needs, joined with the path separator. */
  classpath: string;
  mainClass: 'DevMongoServer';
}

const MINIMUM_JAVA = 17;
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath';
const sourceDir = (): string => projectPath('tools', 'mongo-dev-server');
const installDir = (): string => toolsPath('mongo-dev-server');
const markerFile = (): string => path.join(installDir(), 'installed.json');
const classesDir = (): string => path.join(installDir(), 'classes');
const classpathFile = (): string => path.join(installDir(), 'classpath.txt');

/** Changes whenever the pom or the Java program changes, so an edit triggers a rebuild. */
function sourceFingerprint(): string {
  const hash = createHash('sha256').update(DEPENDENCY_PLUGIN);
  for (const file of ['pom.xml', 'DevMongoServer.java'])
    hash.update(readFileSync(path.join(sourceDir(), file)));
  return hash.digest('hex');
}

function toolsFrom(jars: string): MongoServerTools {
  return {
    java: process.env.JAVA ?? 'java',
    classpath: [classesDir(), jars].join(path.delimiter),
    mainClass: 'DevMongoServer',
  };
}

/** The installed server, or undefined when it is missing or stale. Cheap: reads two small files and stats the jars. */
export function findInstalledMongoServer(): MongoServerTools | undefined {
  try {
    const marker = JSON.parse(readFileSync(markerFile(), 'utf8')) as { fingerprint?: string };
    if (marker.fingerprint !== sourceFingerprint()) return undefined;
    const jars = readFileSync(classpathFile(), 'utf8').trim();
    const complete = jars.split(path.delimiter).every((jar) => existsSync(jar));
    return complete && existsSync(path.join(classesDir(), 'DevMongoServer.class'))
      ? toolsFrom(jars)
      : undefined;
  } catch {
    return undefined;
  }
}

async function checkJava(): Promise<void> {
  const missing = [];
  for (const command of ['java', 'javac']) {
    if (!(await commandExists(command, ['-version']))) missing.push(command);
  }
  if (!(await commandExists('mvn', ['-v']))) missing.push('mvn');
  if (missing.length > 0) {
    throw new SetupError(
      `Cannot install the MongoDB-compatible dev server: ${missing.join(', ')} not found. It is mongo-java-server ` +
        `from Maven Central, started by a small Java program of the project, so it needs a JDK ${MINIMUM_JAVA}+ and ` +
        `Maven (Debian: apt-get install openjdk-17-jdk-headless maven). Or set MONGODB_URI to a running MongoDB.`,
    );
  }
  const version = await runCommand('java', ['-version']);
  const match = /version "(\d+)(?:\.(\d+))?/.exec(version.output);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : 0;
  if (major < MINIMUM_JAVA) {
    throw new SetupError(
      `The MongoDB-compatible dev server needs Java ${MINIMUM_JAVA} or newer; "java -version" says:\n${tailOf(version.output, 3)}`,
    );
  }
}

async function resolveJars(log: (line: string) => void): Promise<string> {
  log('resolving mongo-java-server and its dependencies from Maven Central');
  const maven = await runCommand('mvn', [
    '-B',
    '-q',
    '-ntp',
    '-f',
    path.join(sourceDir(), 'pom.xml'),
    `-Dmaven.repo.local=${toolsPath('m2')}`,
    `-Dmdep.outputFile=${classpathFile()}`,
    DEPENDENCY_PLUGIN,
  ]);
  if (maven.code !== 0 || !existsSync(classpathFile())) {
    throw new SetupError(
      `Cannot install the MongoDB-compatible dev server: Maven could not resolve mongo-java-server. Check that ` +
        `Maven Central is reachable. Maven's output ends with:\n${tailOf(maven.output)}`,
    );
  }
  return readFileSync(classpathFile(), 'utf8').trim();
}

async function compileServer(jars: string, log: (line: string) => void): Promise<void> {
  log('compiling tools/mongo-dev-server/DevMongoServer.java');
  const javac = await runCommand('javac', [
    '-d',
    classesDir(),
    '-cp',
    jars,
    '--release',
    String(MINIMUM_JAVA),
    path.join(sourceDir(), 'DevMongoServer.java'),
  ]);
  if (javac.code !== 0) {
    throw new SetupError(
      `Cannot compile tools/mongo-dev-server/DevMongoServer.java:\n${tailOf(javac.output)}`,
    );
  }
}

/**
 * Resolves mongo-java-server into .tools/m2 and compiles the dev server into .tools/mongo-dev-server unless
 * that is already done for the current sources; a second call returns at once.
 */
export async function installMongoServer(
  log: (line: string) => void = console.log,
): Promise<MongoServerTools> {
  const installed = findInstalledMongoServer();
  if (installed) return installed;
  mkdirSync(toolsPath(), { recursive: true });
  return withFileLock(toolsPath('mongo-dev-server.lock'), async () => {
    const ready = findInstalledMongoServer(); // another run may have installed it while we waited
    if (ready) return ready;
    await checkJava();
    rmSync(installDir(), { recursive: true, force: true });
    mkdirSync(installDir(), { recursive: true });
    const jars = await resolveJars(log);
    await compileServer(jars, log);
    writeFileSync(markerFile(), JSON.stringify({ fingerprint: sourceFingerprint() }));
    log(`MongoDB-compatible dev server installed in ${installDir()}`);
    return toolsFrom(jars);
  });
}
