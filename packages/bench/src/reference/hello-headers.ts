/**
 * The raw node:http hello with the two security headers every stage sends: what the headers alone
 * cost a request, with no framework around them.
 */
import { createServer } from "node:http";
import { SECURITY_HEADERS, port, readConfigOrExit, text } from "@zero-to-one/server-kit";
import { listenUntilSigterm } from "./listen.js";

const config = readConfigOrExit({ PORT: port(8000), HOST: text("127.0.0.1") });
const hello = Buffer.from(JSON.stringify({ msg: "hello world" }));

const server = createServer((req, res) => {
  if (req.url === "/index") {
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": hello.length,
      ...SECURITY_HEADERS,
    });
    res.end(hello);
  } else {
    res.writeHead(404).end();
  }
});

listenUntilSigterm(server, config.PORT, config.HOST, "reference: raw node:http hello + security headers");
