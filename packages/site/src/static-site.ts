import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, relative, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

/**
 * The built file a site path names, as VitePress's clean URLs need it served: `/05-cluster` is
 * `05-cluster.html`, `/zh/` is `zh/index.html`, an asset is itself. Undefined when there is none
 * (or when the path would leave the folder).
 */
export function builtFile(dir: string, pathname: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const base = join(dir, path);
  if (relative(dir, base).split(sep)[0] === "..") return undefined;
  const candidates = path.endsWith("/")
    ? [join(base, "index.html")]
    : [base, `${base}.html`, join(base, "index.html")];
  return candidates.find((file) => existsSync(file) && statSync(file).isFile());
}

export interface StaticSite {
  url: string;
  close: () => Promise<void>;
}

/** Serves a built VitePress site from `dir` on 127.0.0.1 and a free port; unknown paths get its 404 page. */
export async function serveSite(dir: string): Promise<StaticSite> {
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? "/", "http://site");
    const file = builtFile(dir, pathname);
    const notFound = join(dir, "404.html");
    if (!file && !existsSync(notFound)) {
      res.writeHead(404, { "content-type": TYPES[".txt"] }).end("not found\n");
      return;
    }
    const served = file ?? notFound;
    res.writeHead(file ? 200 : 404, { "content-type": TYPES[extname(served)] ?? "application/octet-stream" });
    if (req.method === "HEAD") res.end();
    else createReadStream(served).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
