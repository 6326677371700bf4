// The app's /files route on a port of its own, for the local Shopify to download originals from.
// It listens first (its URL is the app's URL, which the app's environment needs before the app's
// modules load); `serve` is plugged in once they have.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

export type FilesServer = { appUrl: string; serve?: (request: Request) => Promise<Response>; close(): void };

export async function startFilesServer(): Promise<FilesServer> {
  const self: FilesServer = { appUrl: "", close: () => undefined };
  const server = createServer((req, res) => {
    const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method });
    void (self.serve ? self.serve(request) : Promise.resolve(new Response("starting", { status: 503 }))).then((response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body) Readable.fromWeb(response.body as never).pipe(res);
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  self.appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  self.close = () => {
    server.close();
    server.closeAllConnections();
  };
  return self;
}
