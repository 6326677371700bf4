// Imported first by the Node entry (app/server.node.ts), before any module that reads the
// configuration at import: a missing or malformed variable stops the process with the message
// that names it (exit 78, EX_CONFIG), not with a stack trace from whichever module asked first.
import { env, EnvError } from "~/env.server";

try {
  env();
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(`[lightbox] ${error.message}`);
  process.exit(78);
}
