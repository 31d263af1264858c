/** Shapes of provider and AgentMap keys, masked even when we were not told the exact value. */
export const KEY_SHAPES = /\b(?:sk-(?:ant-)?[A-Za-z0-9_-]{8,}|AIza[0-9A-Za-z_-]{20,}|agm_[A-Za-z0-9_-]{8,})/g

/** Masks every configured key (and anything shaped like one) in a text meant for people. */
export const redactor =
  (secrets: ReadonlyArray<string>) =>
  (text: string): string =>
    secrets
      .filter((s) => s.length >= 4)
      .reduce((t, s) => t.split(s).join("[REDACTED]"), text)
      .replace(KEY_SHAPES, "[REDACTED]")
