export {
  ConfigError,
  integer,
  oneOf,
  optionalUrl,
  port,
  readConfig,
  readConfigOrExit,
  text,
} from "./config.js";
export type { ConfigOf, Setting } from "./config.js";
export { ApiError, jsonError, notFound, onError } from "./errors.js";
export { serveGracefully } from "./serve.js";
export type { RunningServer, ServeOptions } from "./serve.js";
export { createProgress, formatSeconds } from "./progress.js";
export type { Progress } from "./progress.js";
export { SECURITY_HEADERS } from "./security-headers.js";
