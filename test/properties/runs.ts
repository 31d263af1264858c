/** How many cases a property tries: its default keeps `npm test` fast; FC_NUM_RUNS scales every property up (e.g. FC_NUM_RUNS=2000). */
export const numRuns = (byDefault: number) => {
  const asked = Number(process.env["FC_NUM_RUNS"] ?? "")
  return Number.isInteger(asked) && asked > 0 ? asked : byDefault
}
