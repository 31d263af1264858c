import { flag } from "../Spec.js"

export const jsonOption = flag({ description: "print exactly one JSON document on stdout (also for errors: {error, message})" })

export const prettyOption = flag({ description: "human-readable output (the default); with --json, indent the JSON" })

export const RESULT_EXIT_CODES = "0 completed or suspended, 1 failed, 2 invalid input (CSV, JSON, flags, config), 3 workflow, graph or thread not found"
