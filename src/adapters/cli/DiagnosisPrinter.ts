import type { Check } from "../../domain/Diagnosis.js"

const SYMBOL: Readonly<Record<Check["status"], string>> = { ok: "✔", warn: "⚠", error: "✖" }

/** The checklist for people: one line per check, and under each ⚠/✖ one line of advice. */
export const printChecklist = (checks: ReadonlyArray<Check>, out: NodeJS.WritableStream = process.stdout) => {
  let section: string | undefined
  for (const c of checks) {
    if (c.section !== section) {
      section = c.section
      out.write(`${section}\n`)
    }
    out.write(`  ${SYMBOL[c.status]} ${c.name}: ${c.detail}\n`)
    if (c.advice !== undefined && c.status !== "ok") out.write(`      → ${c.advice}\n`)
  }
  const errors = checks.filter((c) => c.status === "error").length
  const warnings = checks.filter((c) => c.status === "warn").length
  out.write(
    errors > 0
      ? `✖ ${errors} problem${errors === 1 ? "" : "s"}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}\n`
      : `✔ no problems${warnings > 0 ? ` (${warnings} warning${warnings === 1 ? "" : "s"}: optional)` : ""}\n`
  )
}
