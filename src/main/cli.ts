import { main } from "../adapters/cli/Cli.js"
import { packageVersion } from "../adapters/version/PackageVersion.js"

void main(process.argv, packageVersion())
