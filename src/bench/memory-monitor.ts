import { loadavg } from 'node:os';
import { peakResidentMiB, residentMiB } from './process-memory';
import { round1 } from './stats';

/** One reading: seconds since the monitor started, the phase then running, RSS per process (MiB), 1-min load. */
export interface MemorySample {
  atS: number;
  phase: string;
  rssMiB: Record<string, number>;
  load1: number;
}

export interface MemoryMonitor {
  /** Names the phase the following samples belong to (and prints a reading at once). */
  enterPhase(phase: string): void;
  /** Stops sampling; answers every sample taken. */
  stop(): MemorySample[];
}

/**
 * Samples the resident memory of the given processes every `intervalMs` and prints a line every `printEveryMs`,
 * so a long run shows where its memory goes (and its peaks survive a run that fails before the end).
 */
export function startMemoryMonitor(
  pids: Record<string, number>,
  { intervalMs = 5_000, printEveryMs = 30_000 } = {},
): MemoryMonitor {
  const started = Date.now();
  const samples: MemorySample[] = [];
  let phase = 'start';
  let lastPrinted = 0;
  const read = (): MemorySample => ({
    atS: Math.round((Date.now() - started) / 1000),
    phase,
    rssMiB: Object.fromEntries(
      Object.entries(pids).map(([name, pid]) => [name, round1(residentMiB(pid) ?? Number.NaN)]),
    ),
    load1: round1(loadavg()[0] ?? Number.NaN),
  });
  const print = (sample: MemorySample): void => {
    const processes = Object.entries(pids)
      .map(([name, pid]) => {
        const peak = round1(peakResidentMiB(pid) ?? Number.NaN);
        return `${name} ${sample.rssMiB[name]} MiB (peak ${peak})`;
      })
      .join(', ');
    console.log(`[memory] ${sample.atS}s ${sample.phase}: ${processes}; load ${sample.load1}`);
  };
  const take = (): void => {
    const sample = read();
    samples.push(sample);
    if (Date.now() - lastPrinted >= printEveryMs) {
      lastPrinted = Date.now();
      print(sample);
    }
  };
  const timer = setInterval(take, intervalMs);
  timer.unref();
  return {
    enterPhase(next) {
      phase = next;
      lastPrinted = 0;
      take();
    },
    stop() {
      clearInterval(timer);
      return samples;
    },
  };
}

/** Per phase, in order: the highest RSS of each process and the range of the 1-minute load average while it ran. */
export function summarizeByPhase(
  samples: readonly MemorySample[],
): Record<string, { maxRssMiB: Record<string, number>; load1: [number, number] }> {
  const phases: Record<string, { maxRssMiB: Record<string, number>; load1: [number, number] }> = {};
  for (const sample of samples) {
    const entry = (phases[sample.phase] ??= { maxRssMiB: {}, load1: [sample.load1, sample.load1] });
    for (const [name, mib] of Object.entries(sample.rssMiB))
      entry.maxRssMiB[name] = Math.max(entry.maxRssMiB[name] ?? 0, mib);
    entry.load1 = [Math.min(entry.load1[0], sample.load1), Math.max(entry.load1[1], sample.load1)];
  }
  return phases;
}
