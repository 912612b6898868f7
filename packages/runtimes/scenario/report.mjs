// How an entry hands its results to the test: one marked line on stdout,
// so whatever else a runtime prints (warnings, banners) is ignored.
export const RESULT_MARKER = 'TBKIT_RUNTIME_MATRIX '

export function printResults(runtime, results) {
  console.log(RESULT_MARKER + JSON.stringify({ runtime, results }))
}
