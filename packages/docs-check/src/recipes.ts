/**
 * What `npm run docs:record` can record: each recipe is a few shell commands, run from the repository
 * root (or the folder a step names) with `DATA` set to a new temporary folder and `PORT`, `PORT_2`,
 * `PORT_3` to free ports. What they print goes to docs/recordings/NAME.txt, and chapters quote it.
 */
export interface Step {
  /** The folder the command runs in, from the repository root; the root when absent. */
  in?: string;
  /** A bash command line; `$DATA` and `$PORT` are set. */
  run: string;
}

export interface Recipe {
  name: string;
  /** What the recording shows, in one line. */
  about: string;
  /** Workspaces built (with what they depend on) before the first step. */
  builds: string[];
  /** Programs the steps need besides Node; recording stops with one line when one is missing. */
  needs?: string[];
  /** The documents that quote the recording: a failure there suggests this recipe. */
  for: string[];
  steps: Step[];
  /** Roughly how long it takes, for `--list`. */
  minutes: number;
}

/** How a step reads in a recording: `stages/04-index$ npm run explain`, or `$ …` at the root. */
export const stepLine = (step: Step) => `${step.in ?? ""}$ ${step.run}`;

/** A recipe whose one step is its script, packages/docs-check/recipes/NAME.sh (sourcing lib.sh). */
const scripted = (recipe: Omit<Recipe, "steps">): Recipe => ({
  ...recipe,
  steps: [{ run: `bash packages/docs-check/recipes/${recipe.name}.sh` }],
});

export const RECIPES: Recipe[] = [
  {
    name: "03-seed",
    about: "stage 03's npm run seed: 10,000 todos, then 1,000,000, each into a new SQLite file",
    builds: ["stages/03-mongo"],
    for: ["docs/03-mongo.md", "stages/03-mongo/README.md"],
    steps: [
      { in: "stages/03-mongo", run: "DB_PATH=$DATA/10k.db npm run seed" },
      { in: "stages/03-mongo", run: "DB_PATH=$DATA/1m.db npm run seed -- --count 1000000" },
    ],
    minutes: 1,
  },
  {
    name: "04-explain",
    about:
      "stage 04's npm run explain on 10,000 and on 1,000,000 todos: the first page without and with the index, the last page by offset and by cursor",
    builds: ["stages/04-index"],
    for: ["docs/04-index.md", "docs/03-mongo.md", "stages/04-index/README.md"],
    steps: [
      { in: "stages/04-index", run: "DB_PATH=$DATA/10k.db npm run seed" },
      { in: "stages/04-index", run: "DB_PATH=$DATA/10k.db npm run explain" },
      { in: "stages/04-index", run: "DB_PATH=$DATA/1m.db npm run seed -- --count 1000000" },
      { in: "stages/04-index", run: "DB_PATH=$DATA/1m.db npm run explain" },
    ],
    minutes: 1,
  },
  scripted({
    name: "05-supervisor",
    about:
      "stage 05's primary log: a worker killed with kill -9 and replaced, a rolling restart on SIGHUP, a drain on SIGTERM",
    builds: ["stages/05-cluster"],
    for: ["docs/05-cluster.md"],
    minutes: 1,
  }),
  scripted({
    name: "05-crash-loop",
    about:
      "stage 05's primary backing off while replacements die: the SQLite file replaced by a folder, a worker killed, the folder removed again",
    builds: ["stages/05-cluster"],
    for: ["docs/05-cluster.md"],
    minutes: 1,
  }),
  scripted({
    name: "05-cpu-per-request",
    about:
      "the server's CPU time per request (from /proc), stage 04 against stage 05 with two workers, three wrk -c 20 runs of each request, on 100,000 todos",
    builds: ["stages/04-index", "stages/05-cluster"],
    needs: ["wrk"],
    for: ["docs/05-cluster.md"],
    minutes: 4,
  }),
  {
    name: "05-throughput",
    about:
      "the benchmark tour on stages 04 and 05 with two workers: hello, the first page and the deep page, wrk, five rounds",
    builds: ["packages/bench", "stages/04-index", "stages/05-cluster"],
    needs: ["wrk"],
    for: ["docs/05-cluster.md"],
    steps: [
      {
        run: "node packages/bench/dist/cli.js --tool wrk --stages 04,05 --workers 2 --rounds 5 --scenarios hello,list,list-deep-offset --no-flask --no-docs --results-dir $DATA/results",
      },
    ],
    minutes: 6,
  },
  scripted({
    name: "05-pairs",
    about:
      "stage 04 and stage 05 back to back on the last page of 100,000 todos, sixteen pairs, with the machine's idle CPU during each stage-04 run",
    builds: ["stages/04-index", "stages/05-cluster"],
    needs: ["wrk"],
    for: ["docs/05-cluster.md"],
    minutes: 3,
  }),
  scripted({
    name: "05-nginx-price",
    about:
      "stage 05 with two workers, straight and through its nginx.conf: /index and /todo, three alternating wrk rounds",
    builds: ["stages/05-cluster"],
    needs: ["wrk", "nginx"],
    for: ["docs/05-cluster.md"],
    minutes: 2,
  }),
  scripted({
    name: "06-write-modes",
    about:
      "the mixed load (8 reads, 2 writes) and writes only, on stage 05 and on stage 06 with CACHE_ON_WRITE=refresh and =invalidate: req/s, p99 and the server's CPU time per request, three alternating rounds each",
    builds: ["stages/05-cluster", "stages/06-cache"],
    needs: ["wrk", "redis-server"],
    for: ["docs/06-cache.md"],
    minutes: 2,
  }),
];

export const recipeNamed = (name: string) => RECIPES.find((recipe) => recipe.name === name);
