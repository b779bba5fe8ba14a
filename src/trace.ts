/**
 * CSI_TRACE=1: one line on stderr for each step of a run, timed from the start of the
 * process (node's own start-up included), for finding where the time goes:
 *
 *   csi trace    212 ms  browser started
 *
 * Costs nothing when off.
 */
export const trace: (step: string) => void = process.env.CSI_TRACE
  ? (step) => process.stderr.write(`csi trace ${performance.now().toFixed(0).padStart(6)} ms  ${step}\n`)
  : () => undefined;
