/** A workflow that does nothing: the benchmark's ceiling for how fast this server can start workflows. */
export async function noopWorkflow(): Promise<void> {}
