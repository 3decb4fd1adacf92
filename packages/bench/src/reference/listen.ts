import type { Server } from "node:http";

export function listenUntilSigterm(server: Server, port: number, host: string, label: string) {
  server.listen(port, host, () => console.log(`${label} listening on http://${host}:${port}`));
  closeOnSigterm(server);
}

export function closeOnSigterm(server: Server) {
  process.once("SIGTERM", () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
}
