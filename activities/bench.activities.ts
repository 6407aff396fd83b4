/** Activities of the benchmark's baseline workflow: each does nothing, so only the orchestration costs. */
export function createBenchActivities() {
  return {
    /** Does nothing: one activity's worth of scheduling, recording and completing. */
    benchNoop(): Promise<void> {
      return Promise.resolve();
    },
  };
}

export type BenchActivities = ReturnType<typeof createBenchActivities>;
