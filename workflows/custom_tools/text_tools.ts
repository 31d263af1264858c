import { defineTool } from "agentmap"
import { z } from "zod"

/**
 * Tools for workflows/tools.csv. Each export made with defineTool is a tool named by its `name`;
 * the zod schema checks the arguments (taken from the node's inputs by name, then by position)
 * and tells a tool-calling model what to send.
 */
export const slugify = defineTool({
  name: "slugify",
  description: "Turn a title into a URL slug",
  schema: z.object({ text: z.string().min(1).describe("The title") }),
  run: ({ text }) =>
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
})

export const word_count = defineTool({
  name: "word_count",
  description: "Count the words in a text",
  schema: z.object({ text: z.string() }),
  run: ({ text }) => text.split(/\s+/).filter((w) => w !== "").length
})

export const char_count = defineTool({
  name: "char_count",
  description: "Count the characters in a text",
  schema: z.object({ text: z.string() }),
  run: ({ text }) => [...text].length
})
