// Runs a command and ties its life to the process that started us. The dev services run in their own
// process group (so a Ctrl-C reaches only the launcher, which stops them in order); if the launcher dies
// without stopping them, our standard input closes and we stop the command, so no server is left behind.
// Usage: node scripts/tether.mjs COMMAND [ARGS...]   (TETHER_GRACE_MS: wait before SIGKILL, default 10000)
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/tether.mjs COMMAND [ARGS...]');
  process.exit(2);
}
const graceMs = Number(process.env.TETHER_GRACE_MS ?? 10000);
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let stopping = false;

function stopChild() {
  if (stopping) return;
  stopping = true;
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), graceMs).unref();
}

process.on('SIGTERM', stopChild);
process.on('SIGINT', stopChild);
process.stdin.on('end', stopChild);
process.stdin.on('error', stopChild);
process.stdin.resume();

child.on('error', (error) => {
  console.error(`cannot start ${command}: ${error.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 1));
});
