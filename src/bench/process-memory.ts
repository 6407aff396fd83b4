import { readFileSync } from 'node:fs';

/** Peak resident memory (VmHWM) of a live process in MiB, read from /proc; undefined when unavailable. */
export function peakResidentMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
