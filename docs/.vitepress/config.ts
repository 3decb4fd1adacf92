// The tutorial as a website: the markdown in docs/ (English) and docs/zh/ (Simplified Chinese) is
// the source, as it reads on the repository host. `npm run docs` serves it with reload,
// `npm run docs:build` writes the static site to docs/.vitepress/dist.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bundledLanguages } from "shiki";
import { type DefaultTheme, defineConfig } from "vitepress";
import { copyDocsFiles } from "../../packages/site/src/docs-files.js";
import { unknownFenceLanguages } from "../../packages/site/src/fence-languages.js";
import { docsLinks, repositoryUrl } from "../../packages/site/src/docs-links.js";
import { type PageEntry, localePages } from "../../packages/site/src/pages.js";
import { searchTokenize } from "../../packages/site/src/search-tokenize.js";

const srcDir = fileURLToPath(new URL("..", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));
const { repository } = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { repository?: unknown };

// a fence in a language the highlighter lacks would show uncoloured with only a warning: name it
// here (`conf: "nginx"`) or fix the fence
const languageAlias: Record<string, string> = {};
const unknown = unknownFenceLanguages(srcDir, Object.keys(bundledLanguages), languageAlias);
if (unknown.length > 0)
  throw new Error(`code blocks in languages the highlighter lacks: ${unknown.join("; ")}`);

// the learning path's order: chapters by file name (NN-*.md), each aside after its chapter
const order = { asides: { "01-hello.md": ["framework-cost.md"] } };

// one group, so a chapter with an aside shows it indented below rather than opening a section
const sidebar = (pages: PageEntry[]): DefaultTheme.SidebarItem[] => [
  {
    items: pages.map(({ title, link, asides }) =>
      asides.length > 0
        ? { text: title, link, items: asides.map((aside) => ({ text: aside.title, link: aside.link })) }
        : { text: title, link },
    ),
  },
];

export default defineConfig({
  title: "zero-to-one",
  cleanUrls: true,
  // each locale's README.md (the learning path, as the repository host shows it) is its home page
  rewrites: { "README.md": "index.md", "zh/README.md": "zh/index.md" },
  markdown: {
    languageAlias,
    // links written for the repository host, made to work on the site; links out of docs/ go to the
    // repository host when package.json names the repository, else become the file's path as code
    config: (md) =>
      docsLinks(md, { srcDir, root, translations: ["zh"], repository: repositoryUrl(repository) }),
  },
  // recordings and results linked from the pages are files, not pages: copy them beside the pages
  buildEnd: ({ srcDir, outDir }) => void copyDocsFiles(srcDir, outDir),
  locales: {
    root: {
      label: "English",
      lang: "en-US",
      description:
        "From hello world to a cached, clustered, queue-backed web service, one runnable stage at a time.",
      themeConfig: {
        sidebar: sidebar(localePages(srcDir, "/", order)),
        outline: { level: [2, 3] },
      },
    },
    zh: {
      label: "简体中文",
      lang: "zh-CN",
      link: "/zh/",
      description:
        "从 hello world 到带缓存、多进程和任务队列的 Web 服务：每一步都是一个能运行、能测量的阶段。",
      themeConfig: {
        sidebar: sidebar(localePages(`${srcDir}zh`, "/zh/", order)),
        outline: { level: [2, 3], label: "本页目录" },
        docFooter: { prev: "上一页", next: "下一页" },
        darkModeSwitchLabel: "外观",
        lightModeSwitchTitle: "切换到浅色模式",
        darkModeSwitchTitle: "切换到深色模式",
        sidebarMenuLabel: "目录",
        returnToTopLabel: "回到顶部",
        langMenuLabel: "切换语言",
        skipToContentLabel: "跳到正文",
        notFound: {
          title: "页面不存在",
          quote: "这个地址没有页面。",
          linkLabel: "回到学习路线",
          linkText: "回到学习路线",
        },
      },
    },
  },
  themeConfig: {
    search: {
      provider: "local",
      options: {
        // MiniSearch splits words on spaces only; Chinese has none (see searchTokenize)
        miniSearch: { options: { tokenize: searchTokenize } },
        locales: {
          zh: {
            translations: {
              button: { buttonText: "搜索", buttonAriaLabel: "搜索" },
              modal: {
                displayDetails: "显示详细列表",
                resetButtonTitle: "清除查询",
                backButtonTitle: "关闭搜索",
                noResultsText: "没有找到结果",
                footer: { selectText: "选择", navigateText: "切换", closeText: "关闭" },
              },
            },
          },
        },
      },
    },
  },
});
