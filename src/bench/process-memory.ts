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

/** CPU time (user + system, all threads) a live process has used so far, in seconds; undefined when unavailable. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14 and stime 15 (clock ticks of 1/100 s).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
