import { readFileSync } from 'node:fs';

/** One field of /proc/<pid>/status in MiB; undefined when the process or the field is gone. */
function statusMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Peak resident memory (VmHWM) of a live process in MiB, read from /proc; undefined when unavailable. */
export const peakResidentMiB = (pid: number): number | undefined => statusMiB(pid, 'VmHWM');

/** Resident memory now (VmRSS) of a live process in MiB; undefined when unavailable. */
export const residentMiB = (pid: number): number | undefined => statusMiB(pid, 'VmRSS');
