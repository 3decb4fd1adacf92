import { formatSeconds } from "@zero-to-one/server-kit";
import { chainMarkdown } from "./article.js";
import { codeBlocks, pageFacts } from "./page-facts.js";
import { DEFAULTS } from "./published.js";
import type { StoreInfo } from "./store.js";
import type { TourResults } from "./results.js";
import { SCENARIOS, type Scenario, type ScenarioName } from "./scenarios.js";
import { CEILING_MARK, below, exportMarkdownTable, markdownTable, plainRows } from "./table.js";

/* The Chinese benchmarks page (docs/zh/benchmarks.md): the English page's headings, code and tables, its prose in Chinese. */

const count = (n: number) => n.toLocaleString("en-US");

/** What scenarios.ts says of each scenario, in Chinese; a new scenario does not compile without it. */
const SUMMARIES: Record<ScenarioName, (sc: Scenario) => string> = {
  hello: () => "GET /index：只有框架，别无其他",
  list: () => "GET /todo：第一页（阶段 02 没有分页，回答全部 todo）",
  "list-deep-offset": () => "GET /todo?start=N：最后一页，像原文那样按偏移量（offset）找到",
  "list-deep-keyset": () => "GET /todo?before=cursor：同样的最后一页，按 keyset 游标找到",
  "list-during-exports": (sc) =>
    `GET /todo（第一页），用 wrk 或 k6 时以稳定的 ${count(sc.exports?.ratePerSec ?? 0)} req/s 发送，同时 ${sc.exports?.clients} 个客户端在导出全部 todo：空闲、走队列、内联`,
  "list-c1000": (sc) => `GET /todo（第一页），${count(sc.connections ?? 0)} 个连接，经由 nginx`,
  "list-tls": () =>
    "GET /todo（第一页），经由 nginx 走 HTTPS，用该阶段自己的 nginx.conf，只是调高了其中 limit_req 的速率（全部负载来自同一个地址）",
  mixed: () => "8 次读取（第一页、单条 todo）配 1 次创建和 1 次完成",
  create: () => "以表单 POST /todo，就像原文的 `http -f`",
};

/** A MongoDB-wire store in words; a FerretDB run says it is not MongoDB. */
function describeStore(store: Extract<StoreInfo, { kind: "mongo" }>): string {
  const notMongo = store.product === "FerretDB" ? "，不是 MongoDB" : "";
  const where = store.from === "MONGO_URL" ? "MONGO_URL 所指的服务器" : "tour 启动的一次性服务器";
  return `${store.label}${notMongo}（${where}，每个阶段一个数据库）`;
}

/** The order of a round's windows, as this run measured them. */
function orderOf(r: TourResults): string {
  const s = r.settings;
  const warmup = s.warmupSec > 0 ? `${s.warmupSec} s 的 autocannon 预热负载（不计入结果）` : "";
  const scenarios = `使用 ${s.connections} 个连接，如同原文的 \`wrk -c100\`。只读场景先运行，然后是 \`mixed\`，最后是 \`create\`，这样任何写入都不会改变只读场景看到的数据。`;
  const abba = (half: string) =>
    `每个服务器的窗口分成两个 ${half} 的半窗口来测量：先依次测运行该场景的每个服务器的前半窗口，再按相反的顺序测各自的后半窗口（A₁ B₁ C₁ … C₂ B₂ A₂）。一行把它的两个半窗口加起来（请求数和时间；延迟按两个半窗口的请求数加权，结果中的 \`halvesPerSec\` 保留每个半窗口的 req/s）。每个服务器的两个半窗口的平均时刻相同，所以在一遍测量中，共享机器上增长或减弱的负载对每个服务器的影响都一样：表中打印的比值，无论是对上一阶段还是对裸参照服务器，比较的都是交替测量的窗口，而不是这一分钟和另一分钟。每隔一轮，服务器的顺序就反过来，所以没有哪个服务器总是开头和收尾。一轮中的所有服务器同时运行（除了正在受压的那个，其余都空闲），在这一轮的最后一个场景之后停止。\`list-during-exports\` 是例外：只有一个服务器，它的三种条件各自整段测量，一个接一个。`;
  if (!s.order) {
    return `- ${warmup ? `每个场景之前，先承受 ${warmup}；然后是 ` : "没有预热；"}${s.durationSec} s 的测量负载，${scenarios}
- **这次运行早于交替顺序。** 每一轮先把一个服务器的所有场景测完，再启动下一个（每隔一轮顺序相反），所以两行之间的比值比较的是相隔一分钟或更久的窗口。现在 tour 按 ABBA 半窗口交替测量每个场景的各个服务器（\`packages/bench/src/order.ts\`）：在一轮之内，${abba("⌈窗口 / 2⌉ s（默认 2 s）")}`;
  }
  return `- 每一轮中，每个服务器的每个场景有 ${s.durationSec} s 的测量负载，${scenarios}
- **一个场景的各个服务器轮流测量，按 ABBA 半窗口进行**（\`packages/bench/src/order.ts\`）：在一轮之内，${abba(`${s.halfSec ?? s.durationSec / 2} s`)}${warmup ? `每个服务器在它的第一个半窗口之前，先承受 ${warmup}。` : ""}`;
}

/** How the tool's ceiling was measured, and why the tour trusts it. */
function ceilingMethod(r: TourResults, percent: number): string {
  const c = r.toolCeiling;
  const why = `负载生成器在一台机器上有它自己的上限：它所能统计的最快回答速度。tour 把它取为该工具以 tour 的连接数对裸 \`node:http\` hello（\`packages/bench/src/reference/hello.ts\`：一次比较，外加一个只序列化一次的响应体）测得的结果。\`raw node:http hello\` 的 \`hello\` 行正是这个测量：同一个服务器、同一个工具、同样的连接数，每一轮都有；所以 tour 直接复用它们（取各轮的中位数），而不是再测一次；略去 \`hello\` 的 tour 会在各轮之前单独测一次。任何一行，不论哪个服务器、哪个场景，只要 req/s 与上限相差不到 ${percent}% 或在它之上，就会在这里、在终端的表格和结果（\`atToolCeiling\`）中标上 ${CEILING_MARK}：它测到的可能是负载生成器而不是服务器，与它相比的比值也没有看上去那么说明问题。`;
  if (!c) return `${why}本次运行没有这项测量。`;
  const from =
    c.from === "hello rows" ? `\`raw node:http hello\` 的 ${c.rounds} 轮 \`hello\`` : "单独测量一次";
  return `${why}本次运行：${count(Math.round(c.requestsPerSec))} req/s，使用 ${c.tool}、${c.connections} 个连接（${from}）。`;
}

export function benchmarksPageZh(r: TourResults): string {
  const m = r.machine;
  const s = r.settings;
  const f = pageFacts(r);
  const skipped = r.skipped.length ? r.skipped.map((k) => `- ${k.id}：跳过，${k.reason}`).join("\n") : "- 无";
  const failures = r.failures.length
    ? r.failures.map((x) => `- ${x.id}：${x.reason.split("\n")[0]}`).join("\n")
    : "- 无";
  const store = s.store.kind === "mongo" ? describeStore(s.store) : "";
  const storeNote =
    s.store.kind === "sqlite"
      ? "阶段 03 及之后的 todo 存放在 SQLite 中，每个阶段、每一轮都用一个新文件。"
      : s.store.product === "FerretDB"
        ? `**阶段 03 及之后运行在 ${s.store.label} 上，不是 MongoDB**（${store}）。FerretDB 用它自己的存储来应答 MongoDB 的线路协议；它的速度说明不了 MongoDB 的速度。`
        : `**阶段 03 及之后运行在 ${store} 上**，而不是内嵌的 SQLite 默认存储。`;
  const silentRows = f.silentRows
    ? `
- **${below(f.answerWindowSec)} req/s (no answer within ${f.answerWindowSec} s)**：测量窗口内${s.halfSec ? "（在它的两个半窗口中的任何一个里）" : ""}没有一个请求得到回答：在 ${s.connections} 个连接下，服务器慢到一个窗口连一个回答都给不出。这样的行没有延迟，它的比值是界限（\`<\`、\`>\`）；用更长的 \`--duration\` 才能测出它。`
    : "";
  const ceiling = r.toolCeiling;
  const marked = f.atCeiling.map((row) => `${row.label} 上的 ${row.scenario}`);
  const measuredLoad = f.exportRate
    ? `负载是经由 ${f.exportConnections} 个连接的稳定的 ${count(f.exportRate)} req/s，而不是工具能跑多快就跑多快：满速时，p99 测到的会是饱和服务器门前的排队，而不是导出带来的影响`
    : `负载是 ${f.exportConnections} 个连接尽可能快地发送（用的是 ${r.tool.version}，它无法保持稳定的速率：它的限速器把每一秒的请求一次性发出；wrk 和 k6 以稳定的 ${count(f.steadyRate)} req/s 运行这个场景）`;
  const scenarioList = SCENARIOS.map(
    (sc) =>
      `- \`${sc.name}\`（${sc.toStage ? `阶段 ${String(sc.fromStage).padStart(2, "0")} 到 ${String(sc.toStage).padStart(2, "0")}` : `阶段 ${String(sc.fromStage).padStart(2, "0")} 起`}）：${SUMMARIES[sc.name](sc)}`,
  ).join("\n");

  return `# 基准测试 {#benchmarks}

<!-- Generated by the benchmark tour (packages/bench/src/docs-zh.ts) from docs/benchmarks/results.json. Do not edit by hand: run the tour again. -->

zero-to-one 的每一个阶段，在同一台机器上、用同一份数据、在同一次运行中测量，旁边还有两个裸 \`node:http\` 服务器，标出这台机器的上限。这一页由一条命令生成：

${codeBlocks.tour}

**测量于 ${r.date.slice(0, 10)}**：${m.cores} 核（${m.cpuModel}），${m.memoryGiB} GiB，${m.os}，Node ${m.node}，使用 ${r.tool.version}；${s.connections} 个连接，每个场景 ${s.durationSec} s，之前先预热 ${s.warmupSec} s，取 ${s.rounds} 轮的中位数，灌入 ${count(s.rows)} 条 todo${f.clusterStages ? `，阶段 05 及之后用 ${s.workers} 个 worker` : ""}。整个 tour 用时 ${formatSeconds(r.wallSec)}；机器的 1 分钟平均负载在开始时为 ${m.loadAverage.start}，结束时为 ${m.loadAverage.end}（其中也算上了 tour 自己的服务器和负载生成器）。${storeNote}

![每个阶段、每个场景的每秒请求数和 p99 延迟](../benchmarks/chart.svg)

## 数字 {#the-numbers}

${markdownTable(r, plainRows(r.summary))}

- **req/s**：每秒完成的请求数，不论状态码；**p50 / p99**：延迟，单位为毫秒。
- **errors / non-2xx**：套接字错误和超时 / 2xx 以外的回答，各轮相加。一行很快、却有大量 non-2xx 回答，并不算快。${silentRows}
- **vs stage before**：本行的 req/s 除以运行同一场景的上一个阶段的 req/s（括号中的编号）。高于 1× 说明这一步对该场景有回报；低于 1× 说明它付出了代价。
- **vs raw node:http**：本行占参照服务器 req/s 的比例（\`hello\` 对比裸 \`node:http\` hello，\`list\` 对比一个回答预先序列化好的一页的裸 \`node:http\` 服务器）。与上限的距离才是诚实的标题：它就是框架、store 和每个请求的 JSON 的代价。参照服务器都是单进程；从阶段 05 起，一个阶段每核运行一个 worker，所以可以超过 100%。
- **${CEILING_MARK}**：到了负载工具的上限。${
    ceiling
      ? `这个工具在这里能测的最快的服务器，裸 \`node:http\` hello，回答了 ${count(Math.round(ceiling.requestsPerSec))} req/s；与之相差不到 ${f.ceilingPercent}% 或在它之上的行，测到的可能是负载生成器，而不是服务器。${marked.length > 0 ? `本次运行中：${marked.join("、")}。` : "本次运行没有这样的行。"}`
      : "本次运行没有测量工具的上限（见*测量方法*），所以没有标记任何行。"
  }

## 原文的各个步骤，并排对照 {#the-article-s-steps-side-by-side}

原文在 2017 年用 \`wrk -t 12 -d 5s\` 测量了它的每一步，所用的机器没有说明。它的 req/s 和我们的无法相比；每一步与前一步的比值可以相比。我们的每一行都迈出同样的一步：Flask 的行（原文自己的技术栈，在这里运行）迈出的是唯一一个在 Node 中没有对应物的步骤；从 nginx 开始，原文和我们的 \`list-c1000\` 行都经由 nginx 使用 1,000 个连接。errors 是负载工具统计的套接字错误和超时，non-2xx 是 2xx 以外的回答。原文的异步 worker 用的是 meinheld，Debian 没有打包它；我们用的是 gevent。

${chainMarkdown(r)}

## 导出进行时的 GET /todo（阶段 07） {#get-todo-while-exports-run-stage-07}

${f.exporting.length > 0 ? exportMarkdownTable(r, f.exporting) : "本次运行没有测量它（见下文*本次运行略去的*）。"}

阶段 07 的一课是延迟：长任务运行时，一个普通请求要等多久。\`list-during-exports\` 场景测量第一页 \`GET /todo\`，${measuredLoad}。它在三种条件下运行，每一轮中依次进行，每种 ${s.durationSec} s：旁边什么都不跑；2 个客户端通过队列导出全部 todo，一个接一个（\`POST /todo/export\`，每 100 ms 轮询一次 \`GET /jobs/:id\`，再下载文件），同时为这个条件在 API 旁边启动一个 worker 进程（\`node dist/worker.js\`，使用 API 的 \`REDIS_URL\`、\`DB_PATH\` 和 \`EXPORT_DIR\`），条件结束后用 SIGTERM 停止它；以及同样的 2 个客户端以内联方式运行同样的导出，\`POST /todo/export?inline=1\`。**exports completed** 是一个测量窗口内完成的导出数（取各轮的中位数），每个导出都检查过是否包含全部灌入的 todo；一次导出都没完成的导出负载会报告为失败，而不是作为一行。worker 与 API 和负载生成器共用这些核，所以队列那一行并不完全等于空闲。用 autocannon 和 wrk 时，每个连接要等到回答才发送下一个请求（k6 则不管回答，始终保持速率），所以 worker 卡住时，发出的请求更少，被看到在等待的请求也更少：如果说有偏差，那就是内联的 p99 被低估了。见[第 07 章](07-queue.md)。

## 原文的技术栈 {#the-article-s-stack}

安装了 \`python3-flask\` 和 \`gunicorn\` 时（\`apt-get install python3-flask gunicorn
python3-gevent\`），tour 还会测量一个小小的 Flask 应用（\`packages/bench/flask/app.py\`，从内存中回答 \`hello\` 和 \`list\`：启动时它读入阶段 03 的 seed 脚本写下的每一条 todo，也就是各阶段持有的同一批数据），并按原文运行 Flask 的几种方式来运行它：Flask 的开发服务器、带 (2 × 核数) + 1 个同步 worker 的 gunicorn，以及带同样数量异步 worker 的 gunicorn。原文的异步 worker 用的是 meinheld，Debian 没有打包它；tour 用的是 gevent，即 Debian 提供的异步 worker（\`--worker-class gevent\`；没有 \`python3-gevent\` 时，这一行会被跳过，并打印一行说明）。开发服务器和同步 worker 每次回答后都会关闭连接，和原文的服务器一样。autocannon 对这类服务器会报告出不可能的延迟，所以 Flask 的行只用 \`--tool wrk\` 或 k6 测量；\`--no-flask\` 会把它们略去。
${f.flask ? "" : "\n本次运行没有 Flask 的行（见下文*本次运行略去的*）。\n"}
作为对照，原文在 2017 年于它自己的机器上测得：MongoDB 上不带索引、十条一页的第一页为每秒 43 个请求，加上索引后为 298，用 9 个 gunicorn worker 为 863，用 meinheld worker 为 1,128。

## 场景 {#the-scenarios}

场景只定义一次（\`packages/bench/src/scenarios.ts\`），每种负载工具都发送同样的请求。每个场景从第一个具备所需功能的阶段开始适用：

${scenarioList}

阶段 02 把 todo 放在内存里，还没有分页，所以它的 \`list\` 和 \`mixed\` 每次回答都包含全部 ${count(s.rows)} 条 todo；从阶段 03 起，\`list\` 是十条一页。

## 测量方法 {#how-it-was-measured}

- 每个阶段都构建好，作为独立进程启动（\`node dist/server.js\`），每一轮都重新启动。阶段 03 及之后先用各自的 \`node dist/seed.js --count ${s.rows} --reset\` 灌入数据，写入${s.store.kind === "mongo" ? ` ${store} 上各自的数据库（\`zto_bench_03_mongo\`，……）` : "临时目录中的一个 SQLite 文件"}；阶段 02 通过它自己的 \`POST /todo\` 填充。阶段 05 及之后设置了 \`WORKERS=${s.workers}\`；阶段 06 和 07 设置了 \`REDIS_URL\`，或者使用一个一次性的 \`redis-server\`。
- \`list-c1000\` 经过 nginx${f.nginx ? `（${f.nginx}）` : ""}：为它在每个阶段前面启动 nginx，使用该阶段自己的 \`nginx.conf\`，只改动其中的两个端口，测完即停；测量之前，发给 nginx 的 \`GET /healthz\` 必须得到该阶段的回答。不管 \`--connections\` 怎么设，它都使用 1,000 个连接，并为此提高（或检查）负载工具的打开文件数上限，这样工具自身的失败永远不会算作服务器的错误。
${orderOf(r)}
- 表中每个数字都各自取各轮的中位数。机器上有噪声；两行之间相差几个百分点毫无意义，相差 2× 才有意义。
- **工具的上限。** ${ceilingMethod(r, f.ceilingPercent)}
- **负载生成器与服务器运行在同样的 ${m.cores} 个核上**，也没有把任何东西绑定到某个核。它从被测的服务器那里抢走 CPU，对最快的服务器抢得最多，所以这些上限比在单独的压测机上要低。请把各行互相比较，不要与别处测得的数字比较。
- 每次施加负载之后，tour 都会等到服务器重新快速回答，这样没有哪次测量要为上一次留在途中的请求买单：用的是 \`GET /index\`，从阶段 03 起还有 \`GET /healthz\`（它通过该阶段自己的连接 ping 一下 store），最多等 60 s（放弃时会打印一行说明）。
- 最后一个场景结束后，每个服务器都用 SIGTERM 停止，并且必须以 0 退出。

每个服务器启动时打印的内容（它的 URL、store 和 worker）：

${f.startups}

本次运行略去的：

${skipped}

本次运行中的失败：

${failures}

## 自己运行 {#running-it-yourself}

${codeBlocks.runningIt(r)}

选项：\`--tool k6|autocannon|wrk\`、\`--stages\`、\`--scenarios\`、\`--duration\`（每个场景的秒数，默认 ${DEFAULTS.durationSec}）、\`--warmup\`（默认 ${DEFAULTS.warmupSec}）、\`--connections\`（默认 ${DEFAULTS.connections}）、\`--rounds\`（默认 ${DEFAULTS.rounds}）、\`--rows\`（默认 ${count(DEFAULTS.rows)}）、\`--workers\`（默认：核数）、\`--store sqlite|mongo\`、\`--results-dir\`、\`--docs\`、\`--no-docs\`、\`--docs-dir\` 和 \`--no-flask\`。tour 在开始前打印预计的耗时，运行中显示一行进度；在这之前，它为每个能用上却找不到的可选程序打印一行（\`npm run doctor\` 会把它们全部列出）。

**它写入什么。** 每次运行都把结果写到 \`packages/bench/results/\`（git 忽略这个目录）。只有完整的默认 tour（每个阶段、每个场景、上面的默认设置、SQLite，没有略去任何东西，也没有任何失败；缺少 Flask 的行除外）才会同时重写这一页（英文版和中文版）、\`docs/benchmarks/results.json\`、\`docs/benchmarks/chart.svg\` 以及各章中的 \`bench:\` 标记。其他任何运行都不碰 \`docs/\`，并在最后几行说明原因；\`--docs\` 会照样用它的结果写入，\`--no-docs\` 从不写入，\`--docs-dir DIR\` 则写到另一个目录。\`node packages/bench/dist/cli.js --docs-from docs/benchmarks/results.json\` 从一个结果文件重新生成它们，不做任何测量。

**MongoDB。** \`--store mongo\` 让阶段 03 及之后运行在一个说 MongoDB 线路协议的服务器上，而不是 SQLite：设置了 \`MONGO_URL\` 时用它所指的服务器，否则用 tour 自己启动和停止的一次性 FerretDB（或 \`mongod\`）。每个阶段有自己的数据库（\`zto_bench_03_mongo\`，……），像 SQLite 文件一样灌入数据，阶段停止时删除；服务器上的其他东西一概不碰。表格、图表、结果和这一页都会写明服务器及其版本：FerretDB 说的是 MongoDB 的协议，但它不是 MongoDB，它的数字也不是 MongoDB 的数字。既没有 \`MONGO_URL\` 也没有 \`ferretdb\` 时，tour 打印一行后停止（\`npm run doctor\` 会说明如何得到其中之一）。这样的 tour 只有加上 \`--docs\` 才会写 \`docs/\`。

**负载工具。** \`k6\` 可执行文件在 PATH 上时，tour 使用 k6，否则使用内嵌的 [autocannon](https://github.com/mcollina/autocannon)，并打印用的是哪一个以及原因。\`--tool wrk\` 使用 [wrk](https://github.com/wg/wrk)（\`apt-get install wrk\`），由 \`packages/bench/lua/plan.lua\` 驱动，这样 POST 和 mixed 场景也能运行。autocannon 在 tour 自己的 Node 进程里、在一个核上运行；wrk 用 C 写成，使用两个线程，所以它留给服务器的 CPU 更多，对最快的服务器通常报告更高的数字。服务器过载时（阶段 02 的完整列表、阶段 03 的深页），各工具计算请求等待时间的方式不同，所以它们的 p50 和 p99 可能相差好几倍，而 req/s 却一致。请比较用同一种工具测得的行。

**k6。** k6 的负载脚本是 \`packages/bench/k6/tour.ts\`（TypeScript，由 k6 0.57 或更高版本直接运行）。从 <https://grafana.com/docs/k6/latest/set-up/install-k6/> 安装 k6（Debian 包、Homebrew、winget 或单个二进制文件），然后可以让 tour 使用它，也可以手动对你启动的服务器运行一个场景：

${codeBlocks.k6}

它从环境变量读取 \`BASE_URL\`、\`SCENARIO\`、\`VUS\`（默认 100）、\`DURATION\`（默认 10s）和 \`P95_MS\`（p95 的阈值，默认 500）；超过 1% 的请求失败或 p95 超过阈值时，它的阈值会让这次运行失败。${
    r.tool.name === "k6"
      ? ""
      : `

本次运行的机器上没有安装 k6，所以 k6 脚本做了类型检查和单元测试（它的函数在 Node 中运行，k6 的模块被替换掉），但这些数字不是用它测的。对于 \`list-during-exports\`，导出由 tour 自己发起，k6 只测量 \`GET /todo\`；手动运行时，\`SCENARIO=list-during-exports\` 测量的是没有任何导出时的第一页。`
  }

## 结果文件 {#the-results-file}

\`docs/benchmarks/results.json\`（以及 \`packages/bench/results/\` 中的每个文件）的结构如下（\`schema: "zero-to-one/bench-results@1"\`；类型定义在 \`packages/bench/src/results.ts\`）：

| 字段 | 含义 |
| --- | --- |
| \`date\`, \`wallSec\` | tour 开始的时间（ISO 8601）和它用了多久 |
| \`machine\` | \`cpuModel\`、\`cores\`、\`memoryGiB\`、\`os\`、\`node\`、\`loadAverage\`（\`start\`、\`end\`：1 分钟平均负载） |
| \`tool\` | \`name\`（\`k6\`、\`autocannon\` 或 \`wrk\`）、\`version\`、选择它的原因 \`why\` |
| \`settings\` | \`store\`（\`{ kind: "sqlite", label }\`，或 \`{ kind: "mongo", product, version, label, from }\`：\`product\` 按服务器的 \`buildInfo\` 为 \`MongoDB\` 或 \`FerretDB\`，\`label\` 例如 \`FerretDB v1.24.2 (MongoDB wire protocol)\`，\`from\` 为 \`MONGO_URL\` 或 \`throwaway\`）、\`durationSec\`、\`warmupSec\`、\`connections\`、\`rounds\`、\`rows\`、\`workers\`，以及 \`order\`（\`abba-halves\`）和 \`halfSec\`，即每个半窗口的秒数（交替顺序之前测得的文件中没有） |
| \`toolCeiling\` | 负载工具的上限：\`target\`（\`ref-hello\`）、\`scenario\`（\`hello\`）、\`tool\`、\`connections\`、\`requestsPerSec\`、\`rounds\`（它是多少个窗口的中位数）和 \`from\`：\`hello rows\`（tour 自己的 \`ref-hello\` 行）或 \`measured once\`（没有 \`hello\` 的 tour）。无法测量时没有这个字段；对于较早的文件，\`--docs-from\` 从 \`ref-hello\` 行推算出它 |
| \`targets[]\` | \`id\`、\`label\`、\`kind\`（\`stage\` 或 \`reference\`）、\`stage\`、\`scenarios\`、\`startup\`（它的启动行） |
| \`skipped[]\`, \`failures[]\` | \`id\` 和 \`reason\`：有意略去的 / 运行中出错的 |
| \`runs[]\` | 每次测量一条：\`round\`、\`target\`、\`scenario\`、\`requests\`、\`durationSec\`、\`requestsPerSec\`、\`p50Ms\`、\`p90Ms\`、\`p99Ms\`、\`maxMs\`、\`errors\`、\`non2xx\`、\`halvesPerSec\`（每个半窗口的 req/s，按测量的顺序）；在后台导出下还有 \`condition\`（\`idle\`、\`queue\`、\`inline\`）、\`exportsCompleted\`（窗口内完成的）、\`exportErrors\`、\`connections\` 和 \`ratePerSec\`；经过 nginx 的（\`list-c1000\`）还有 \`connections\` 和 \`via\`（nginx 的 \`Server\` 头，例如 \`nginx/1.22.1\`）。一个没有任何请求得到回答的窗口也是一条 run：\`noAnswerWithinSec\`（它拥有的最长时段：一个半窗口，较早的文件中是整个窗口），\`requestsPerSec\` 为 0，\`p50Ms\` 和 \`p99Ms\` 为 null |
| \`summary[]\` | 每个 target、scenario（以及 \`condition\`）一条：\`requestsPerSec\`、\`p50Ms\`、\`p90Ms\`、\`p99Ms\`、\`maxMs\`（以及 \`exportsCompleted\`）的中位数，\`requests\`、\`errors\`、\`non2xx\`（以及 \`exportErrors\`）的总和，\`rounds\`，以及形如 \`{ to, ratio }\` 或 null 的 \`vsPrevious\` / \`vsCeiling\`（带 \`condition\` 的行总是 null）。延迟是有回答的那些轮的中位数（一轮都没有时为 null）；\`roundsWithoutAnswer\` 统计其余的轮，中位的那一轮没有回答时设置 \`noAnswerWithinSec\`（req/s 低于 1 / 它）。与这样的行相关的比值是一个界限：\`bound\` 为 \`at-least\` 或 \`at-most\`。\`atToolCeiling: true\` 标记 req/s 与 \`toolCeiling\` 相差不到 10% 或在它之上的行 |

三种工具都填写同样的 \`runs[]\` 字段，所以 \`--tool wrk\` 和 \`--tool autocannon\` 的结果可以并排比较。导出场景出现之前写下的结果文件中没有 \`p90Ms\`、\`maxMs\` 和导出相关的字段，更早的文件中 \`store\` 只是 \`"sqlite"\`；\`--docs-from\` 仍然能读取它们。

## 各章中的数字 {#numbers-in-the-chapters}

章节可以引用这次运行的数字，而不必手工抄写。tour 会重写每个 \`docs/*.md\` 和 \`docs/zh/*.md\` 文件中这些标记之间的内容：

${codeBlocks.markers}

\`bench:table\` 接受一个阶段编号或一个参照 id（\`ref-hello\`、\`ref-page\`），以及可选的、以逗号分隔的场景列表；\`bench:value\` 接受一个 target、一个场景（\`list-during-exports:inline\` 指其中的一种条件），以及 \`rps\`、\`p50\`、\`p99\`、\`exports\`、\`vs-previous\`、\`vs-direct\`（经由 nginx 的一行对同一阶段不经 nginx 的一行）、\`vs-ceiling\` 之一。标记所指的东西如果这次运行没有测量，就保持原样，tour 会说明这一点。
`;
}
