import { main } from "../adapters/cli/Cli.js"
import { packageVersion } from "../adapters/cli/Version.js"

void main(process.argv, packageVersion())
