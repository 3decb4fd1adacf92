import { closeSync, openSync, readSync } from "node:fs";
import { basename } from "node:path";
import { type Check, type Context, type Install, probeProgram } from "../check.js";
import { pathDirs, run, which } from "../probe.js";

/**
 * Prints `name=version` per module, `name=-` when it is missing. Flask is imported, as the tour's
 * `python3 -c "import flask"` does; gevent is only located (importing it is slow).
 */
const MODULES_SCRIPT = `
import importlib, importlib.util
try:
    from importlib.metadata import version
except Exception:
    version = None
def report(name, present):
    try:
        print(name + "=" + (version(name) if present else "-"))
    except Exception:
        print(name + "=unknown")
try:
    importlib.import_module("flask")
    report("flask", True)
except Exception:
    report("flask", False)
report("gevent", importlib.util.find_spec("gevent") is not None)
`;

interface Python {
  path: string;
  modules: Record<string, string | undefined>;
}

async function modulesIn(ctx: Context, path: string): Promise<Python | undefined> {
  const ran = await run(path, ["-c", MODULES_SCRIPT], ctx.env);
  if (ran.status !== 0) return undefined;
  const modules: Record<string, string | undefined> = {};
  for (const [, name, version] of ran.output.matchAll(/^(\w+)=(.+)$/gm)) {
    if (name) modules[name] = version === "-" ? undefined : version;
  }
  return { path, modules };
}

/** The interpreter a Python script runs with, from its `#!` line, when that names a python. */
function interpreterOf(ctx: Context, script: string): string | undefined {
  const head = Buffer.alloc(256);
  let fd: number | undefined;
  try {
    fd = openSync(script, "r");
    const line = head.subarray(0, readSync(fd, head)).toString("utf8").split("\n")[0] ?? "";
    const words = line.startsWith("#!") ? line.slice(2).trim().split(/\s+/) : [];
    const program = words[0] && basename(words[0]) === "env" ? words[1] : words[0];
    if (!program || !basename(program).startsWith("python")) return undefined;
    return which(program, pathDirs(ctx.env));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const pipNote = "in a virtualenv that is active when you run the tour, so python3 and gunicorn are on PATH";
const installs = (apt: string, pip: string): Install[] => [
  { os: "debian", command: `sudo apt-get install ${apt}` },
  { os: "any", command: `pip install ${pip}`, note: pipNote },
];

/**
 * Flask, gunicorn and gevent, as the tour finds them (packages/bench/src/targets.ts, flaskTargets):
 * the first of `ctx.pythons` that can `import flask` runs the Flask app, gunicorn must answer
 * `gunicorn --version`, and gunicorn's python must find gevent for the gevent workers' row.
 */
export async function checkPython(ctx: Context): Promise<Check[]> {
  const candidates = ctx.pythons.map((p) => which(p, pathDirs(ctx.env)));
  const [tried, gunicorn] = await Promise.all([
    Promise.all(candidates.map((path) => (path ? modulesIn(ctx, path) : undefined))),
    probeProgram(ctx, "gunicorn", ["--version"], /gunicorn \(version (\S+)\)/),
  ]);
  const flaskPython = tried.find((python) => python?.modules["flask"]);
  const gunicornRuns = gunicorn.ran?.status === 0;

  // gunicorn imports the app with its own interpreter, which need not be the one the tour found
  const ownPath = gunicorn.path && interpreterOf(ctx, gunicorn.path);
  const gunicornPython = ownPath
    ? (tried.find((python) => python?.path === ownPath) ?? (await modulesIn(ctx, ownPath)))
    : undefined;
  const gunicornNotes: string[] = [];
  if (gunicornRuns && !flaskPython) gunicornNotes.push("the tour runs gunicorn only when it finds Flask");
  const flaskInGunicorn = !gunicornPython || Boolean(gunicornPython.modules["flask"]);
  if (gunicornRuns && !flaskInGunicorn) {
    gunicornNotes.push(`gunicorn runs ${ownPath}, which cannot import flask: its tour row would not start`);
  }
  if (gunicorn.offPath) gunicornNotes.push(gunicorn.offPath);

  // gunicorn's workers import gevent in gunicorn's own interpreter, as the tour probes it
  const geventPython = gunicornPython ?? flaskPython ?? tried.find(Boolean);
  const gevent = geventPython?.modules["gevent"];
  const gunicornFound = gunicornRuns && Boolean(flaskPython) && flaskInGunicorn;
  const geventNotes =
    gevent && !gunicornFound ? ["the tour runs gevent workers only with Flask and gunicorn"] : [];

  const flask: Check = {
    name: "Flask",
    found: Boolean(flaskPython),
    ...(flaskPython ? { version: flaskPython.modules["flask"], source: flaskPython.path } : {}),
    enables: "the tour's Flask reference rows (with --tool wrk, or k6)",
    install: installs("python3-flask", "flask"),
    notes: flaskPython ? [`python: ${flaskPython.path}`] : [],
    fingerprint: { flask: flaskPython?.modules["flask"] ?? "-" },
  };
  return [
    flask,
    {
      name: "gunicorn",
      found: gunicornFound,
      ...(gunicorn.version ? { version: gunicorn.version } : {}),
      ...(gunicorn.path ? { source: gunicorn.path } : {}),
      enables: "the tour's Flask + gunicorn row (2 × cores + 1 sync workers)",
      install: installs("gunicorn", "gunicorn"),
      notes: gunicornNotes,
      fingerprint: { gunicorn: gunicorn.version ?? "-" },
    },
    {
      name: "gevent",
      found: Boolean(gevent) && gunicornFound,
      ...(gevent ? { version: gevent } : {}),
      ...(geventPython ? { source: geventPython.path } : {}),
      enables:
        "the tour's Flask + gunicorn gevent row (async workers; the article's meinheld is not packaged)",
      install: installs("python3-gevent", "gevent"),
      notes: geventNotes,
      fingerprint: { gevent: gevent ?? "-" },
    },
  ];
}
