import { type Check, type Context, printed, probeProgram } from "../check.js";
import { satisfies } from "./node.js";

/**
 * The first releases with `openssl req -addext`, which scripts/make-cert.sh uses. macOS 13+ ships
 * LibreSSL 3.3.6, which is enough; older macOS have LibreSSL 2.8.3, which is not.
 */
const MINIMUM = { OpenSSL: "1.1.1", LibreSSL: "3.2.1" };

/** `openssl` on PATH, where stage 08's HTTPS test and `npm run cert` look for it. */
export async function checkOpenssl(ctx: Context): Promise<Check> {
  const program = await probeProgram(ctx, "openssl", ["version"], /(?:OpenSSL|LibreSSL) (\d[\w.-]*)/);
  const output = program.ran?.output ?? "";
  const flavour = /\bLibreSSL \d/.test(output) ? "LibreSSL" : "OpenSSL";
  const runs = program.ran?.status === 0;
  // 1.1.1w: the letter is a patch release, past the minimum it follows
  const numeric = /^\d+(?:\.\d+)*/.exec(program.version ?? "")?.[0];
  const recent = runs && (!numeric || satisfies(numeric, `>=${MINIMUM[flavour]}`));
  const notes: string[] = [];
  if (runs && !recent) {
    notes.push(
      `${flavour} ${program.version} is too old for npm run cert (openssl req -addext): it needs ${MINIMUM[flavour]}+`,
    );
  } else if (recent && flavour === "LibreSSL") {
    notes.push("LibreSSL (macOS's own) makes the certificate as OpenSSL does");
  }
  if (program.ran && !runs) {
    notes.push(`${program.path} version failed: ${output.trim().split("\n")[0] || "no output"}`);
  }
  if (program.offPath) notes.push(program.offPath);
  return {
    name: "openssl",
    found: recent,
    ...(program.version ? { version: program.version } : {}),
    ...(program.path ? { source: program.path } : {}),
    enables: "stage 08's certificate (npm run cert): its HTTPS tests, the tour's list-tls row",
    install: [
      { os: "debian", command: "sudo apt-get install openssl" },
      {
        os: "macos",
        command: "brew install openssl@3",
        note: 'only before macOS 13, whose LibreSSL 2.8.3 is too old; then export PATH="$(brew --prefix openssl@3)/bin:$PATH"',
      },
    ],
    notes,
    fingerprint: { openssl: printed(program) },
  };
}
