import { main } from "../adapters/cli/Cli.js"
import { packageVersion } from "../adapters/cli/Version.js"

await main(process.argv, packageVersion())
