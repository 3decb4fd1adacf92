/**
 * npm run docs:check -- --commands [docs/02-memory.md | docs/02-memory.md:117 …]: builds the
 * repository, then runs the shell blocks of the docs (all, or those named) as a learner would type
 * them. One line per block, the failures under it, a summary; exits 1 on any failure. A translation's
 * blocks are its English page's: a whole run runs each once (see blocksToRun).
 */
import { spawnSync } from "node:child_process";
import { formatFailure } from "./failure.js";
import { documents } from "./repository.js";
import { runBlock } from "./run-block.js";
import { blockName, blocksToRun, shellBlocks } from "./shell-blocks.js";

export async function runCommands(root: string, names: string[]): Promise<number> {
  const { blocks, failures: wrong } = shellBlocks(root, documents(root));
  const chosen =
    names.length === 0
      ? blocksToRun(blocks)
      : blocks.filter((block) => names.some((name) => name === block.file || name === blockName(block)));
  if (chosen.length === 0) {
    console.error(`docs:check --commands: no shell block in ${names.join(", ")}`);
    return 2;
  }
  for (const failure of wrong) console.log(formatFailure(failure));
  const build = spawnSync("npm", ["run", "build", "--", "--output-logs=errors-only"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (build.status !== 0) {
    console.error("docs:check --commands: npm run build failed");
    return 1;
  }
  const started = Date.now();
  const counts = { ran: 0, failed: 0, skipped: 0 };
  for (const block of chosen) {
    const began = Date.now();
    const result = await runBlock(root, block);
    const seconds = ((Date.now() - began) / 1000).toFixed(1);
    if (result.skipped) {
      counts.skipped++;
      console.log(result.skipped);
      continue;
    }
    counts.ran++;
    if (result.failures.length > 0) counts.failed++;
    console.log(`${result.failures.length > 0 ? "FAIL" : "ok  "} ${blockName(block)} (${seconds} s)`);
    for (const failure of result.failures) console.log(`  ${formatFailure(failure)}`);
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(
    `docs:check --commands: ${counts.ran} blocks ran, ${counts.failed} failed, ${counts.skipped} skipped ` +
      `(${seconds} s)${wrong.length > 0 ? `; ${wrong.length} annotation failures` : ""}`,
  );
  return counts.failed > 0 || wrong.length > 0 ? 1 : 0;
}
