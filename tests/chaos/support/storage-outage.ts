// In front of the S3-compatible server: a proxy that can make storage fail. While it is down every
// request is answered as S3 answers an overloaded or unavailable endpoint (503 with the S3 error
// document and Retry-After); otherwise requests pass through unchanged.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type StorageOutage = { endpoint: string; down: boolean; refused: number; close(): Promise<void> };

export async function startStorageOutageProxy(upstream: string): Promise<StorageOutage> {
  const target = new URL(upstream);
  const state = { down: false, refused: 0 };
  const server: Server = createServer((req, res) => {
    if (state.down) {
      state.refused += 1;
      req.resume();
      res.writeHead(503, { "Content-Type": "application/xml", "Retry-After": "1" });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>ServiceUnavailable</Code><Message>Please reduce your request rate.</Message></Error>');
      return;
    }
    const forward = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const proxy = {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    get refused() {
      return state.refused;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
