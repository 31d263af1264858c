import { defineAgent } from "agentmap"

/**
 * The custom agent of workflows/custom_agent.csv; its type, `briefing`, is this file's name.
 * It asks the node's model (provider and model from the row's Context) for a brief on the topic,
 * saves it as a Markdown note under `storage.base_directory` (`data/` by default), and returns the
 * brief and the note's path: Output_Field `brief|note`, so the next row can use both.
 */
export default defineAgent({
  description: "Writes a short brief on a topic and saves it as a note",
  run: async (ctx) => {
    const topic = String(ctx.inputs["topic"] ?? "").trim()
    if (topic === "") throw new Error("no topic: run with --state '{\"topic\": \"...\"}'")
    const reply = await ctx.llm.chat({ system: ctx.prompt, user: topic })
    const slug = topic.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")
    const note = `notes/${slug}.md`
    await ctx.storage.writeText(note, `# ${topic}\n\n${reply.text}\n\n(${reply.provider}/${reply.model})\n`)
    ctx.log.info("brief saved", { note, tokens: reply.usage.outputTokens })
    return { brief: reply.text, note }
  }
})
