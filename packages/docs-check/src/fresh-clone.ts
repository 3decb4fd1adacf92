import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A stage's `npm run build` as on a fresh clone after `npm ci`: in a temporary tree that has the
 * installed dependencies, the packages the root's `prepare` script builds (built there, from their
 * sources), the stage's own sources, and nothing else of the repository: no other package's `dist/`.
 */
export interface FreshClone {
  /** The packages `prepare` builds: folder (packages/server-kit) and name. */
  prepared: { dir: string; name: string }[];
  build: (stageDir: string) => { ok: boolean; output: string };
  remove: () => void;
}

const SOURCES = ["package.json", "tsconfig.json", "tsconfig.build.json", "src"];

export function freshClone(root: string): FreshClone {
  const tree = mkdtempSync(join(tmpdir(), "zto-fresh-clone-"));
  const remove = () => rmSync(tree, { recursive: true, force: true });
  try {
    cpSync(join(root, "tsconfig.base.json"), join(tree, "tsconfig.base.json"));
    const modules = join(tree, "node_modules");
    mkdirSync(join(modules, "@zero-to-one"), { recursive: true });
    for (const entry of readdirSync(join(root, "node_modules"))) {
      if (entry !== "@zero-to-one") symlinkSync(join(root, "node_modules", entry), join(modules, entry));
    }
    const prepared = preparedPackages(root);
    for (const { dir, name } of prepared) {
      copySources(root, tree, dir);
      symlinkSync(join(tree, dir), join(modules, name));
      const built = npmBuild(join(tree, dir));
      if (!built.ok) throw new Error(`prepare's build of ${dir} failed:\n${built.output}`);
    }
    return {
      prepared,
      build: (stageDir) => {
        copySources(root, tree, stageDir);
        const built = npmBuild(join(tree, stageDir));
        const entry = join(tree, stageDir, "dist", "server.js");
        return existsSync(entry) || !built.ok
          ? built
          : { ok: false, output: `${built.output}\nno dist/server.js` };
      },
      remove,
    };
  } catch (error) {
    remove();
    throw error;
  }
}

function copySources(root: string, tree: string, dir: string) {
  for (const name of SOURCES) {
    if (existsSync(join(root, dir, name)))
      cpSync(join(root, dir, name), join(tree, dir, name), { recursive: true });
  }
}

function npmBuild(cwd: string) {
  const run = spawnSync("npm", ["run", "build"], { cwd, encoding: "utf8" });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

/** The workspaces the root's `prepare` script builds (its turbo `--filter`s), by folder and name. */
export function preparedPackages(root: string): { dir: string; name: string }[] {
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    scripts?: Record<string, string>;
  };
  const filters = [...(manifest.scripts?.["prepare"] ?? "").matchAll(/--filter[= ](\S+)/g)].map(([, f]) =>
    f!.replace(/^\.{3}|\.{3}$/g, ""),
  );
  const workspaces = readdirSync(join(root, "packages")).map((name) => {
    const dir = `packages/${name}`;
    const file = join(root, dir, "package.json");
    return {
      dir,
      name: existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { name: string }).name : "",
    };
  });
  return workspaces.filter(({ name, dir }) => filters.includes(name) || filters.includes(`./${dir}`));
}
