/** A node the orchestrator may hand the run to, with what it says about itself. */
export interface RouteOption {
  readonly name: string
  readonly description: string
}

export interface Match {
  readonly node: string
  /** 0..1: how much of the best candidate's vocabulary the input covers, and how clearly it beats the runner-up. */
  readonly confidence: number
}

const STOP = new Set(["the", "a", "an", "to", "of", "and", "or", "for", "in", "on", "with", "me", "my", "i", "you", "your", "is", "it", "this", "that", "be", "get", "want", "would", "like", "please", "some", "do"])

/** Lower-case word stems (a crude suffix strip: drinks → drink, ordering → order). */
export const words = (text: string): ReadonlySet<string> =>
  new Set(
    (text.toLowerCase().match(/[a-z0-9]+/g) ?? [])
      .filter((w) => w.length > 1 && !STOP.has(w))
      .map((w) => w.replace(/(ing|ed|es|s)$/, "") || w)
  )

/** Splits CamelCase and snake_case node names into words (`GetDrink` → get drink). */
const nameWords = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ")

/**
 * Keyword matching: each option scores by the input words found in its name and description
 * (name words count double). Confidence is the best score's share of the input words, reduced
 * when the runner-up is close. No overlap at all is no match.
 */
export const matchByKeywords = (input: string, options: ReadonlyArray<RouteOption>): Match | undefined => {
  const asked = words(input)
  if (asked.size === 0 || options.length === 0) return undefined
  const scored = options
    .map((o) => {
      const named = words(nameWords(o.name))
      const described = words(o.description)
      let score = 0
      for (const w of asked) score += named.has(w) ? 2 : described.has(w) ? 1 : 0
      return { node: o.name, score }
    })
    .sort((a, b) => b.score - a.score)
  const best = scored[0]!
  if (best.score === 0) return undefined
  const coverage = Math.min(1, best.score / asked.size)
  const margin = scored.length > 1 ? (best.score - scored[1]!.score) / best.score : 1
  return { node: best.node, confidence: Math.round(coverage * (0.5 + 0.5 * margin) * 100) / 100 }
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/**
 * The option a model's answer names: the exact name, else the first option named as a whole word
 * in it (a longer name wins over one it contains: `DrinkOrder` over `Drink`).
 */
export const optionNamed = (answer: string, options: ReadonlyArray<RouteOption>): string | undefined => {
  const cleaned = answer.trim().replace(/^["'`*\s]+|["'`*.\s]+$/g, "")
  const exact = options.find((o) => o.name.toLowerCase() === cleaned.toLowerCase())
  if (exact !== undefined) return exact.name
  const mentioned = options
    .map((o) => ({ name: o.name, at: answer.search(new RegExp(`(?<![A-Za-z0-9_])${escaped(o.name)}(?![A-Za-z0-9_])`, "i")) }))
    .filter((o) => o.at >= 0)
    .sort((a, b) => a.at - b.at || b.name.length - a.name.length)
  return mentioned[0]?.name
}
