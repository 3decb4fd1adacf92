/** Anything that answers a request: an app in the same process, or a server over a socket. */
export interface ApiClient {
  request: (path: string, init?: RequestInit) => Promise<Response>;
  /** True when answers come from a real server process, with what its Node server adds to them. */
  overSocket: boolean;
}

/** A client for a Hono app (or anything with the same `request` method), no socket involved. */
export const inProcess = (app: {
  request: (path: string, init?: RequestInit) => Response | Promise<Response>;
}): ApiClient => ({
  request: async (path, init) => app.request(path, init),
  overSocket: false,
});

/** A client for a server listening at `baseUrl`, over real sockets. */
export const overHttp = (baseUrl: string): ApiClient => ({
  request: (path, init) => fetch(new URL(path, baseUrl), init),
  overSocket: true,
});
