import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";


export interface RecordedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: http.IncomingHttpHeaders;
  /** Bytes of request body seen by the proxy. */
  bodyBytes: number;
}

export interface S3rverHarness {
  /** Point clients here: the recording proxy in front of s3rver. */
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Every request that went through the proxy, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A real s3rver (own process, files in a temp dir, one bucket) on 127.0.0.1:<free port>, behind a small
 * HTTP proxy that records the method, URL and headers of every request before forwarding it
 * unchanged. s3rver does not verify signatures; the proxy lets tests see exactly what the
 * SDK puts on the wire.
 */
export async function startS3rver(bucket = "lightbox-test"): Promise<S3rverHarness> {
  const directory = await mkdtemp(path.join(tmpdir(), "lightbox-s3rver-"));
  const child = spawn(
    process.execPath,
    ["--openssl-legacy-provider", fileURLToPath(new URL("./s3rver-child.ts", import.meta.url)), directory, bucket],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const upstreamPort = await new Promise<number>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("s3rver did not start within 20 s")), 20_000);
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited early with code ${code}`));
    });
  });
  const stopChild = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });

  const requests: RecordedRequest[] = [];
  const proxy = http.createServer((req, res) => {
    const record: RecordedRequest = { method: req.method ?? "", url: req.url ?? "", headers: { ...req.headers }, bodyBytes: 0 };
    requests.push(record);
    const upstream = http.request(
      { host: "127.0.0.1", port: upstreamPort, method: req.method, path: req.url, headers: req.headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      res.writeHead(502);
      res.end(String(error));
    });
    req.on("data", (chunk: Buffer) => {
      record.bodyBytes += chunk.length;
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const proxyPort = (proxy.address() as AddressInfo).port;

  return {
    endpoint: `http://127.0.0.1:${proxyPort}`,
    bucket,
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    requests,
    async close() {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await stopChild();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Header names and x-amz-* query parameters R2 rejects, found on one recorded request. */
export function forbiddenR2Headers(request: Pick<RecordedRequest, "url" | "headers">): string[] {
  const forbidden = /^x-amz-(acl|grant-|tagging|server-side-encryption|object-lock)/i;
  const query = new URL(request.url, "http://placeholder").searchParams;
  return [...Object.keys(request.headers), ...query.keys()].filter((name) => forbidden.test(name));
}

/** Checksum parameters a presigned URL must not carry (R2 rejects the empty-body checksum). */
export function checksumQueryParams(url: string): string[] {
  return [...new URL(url).searchParams.keys()].filter((name) => /^x-amz-(sdk-)?checksum/i.test(name));
}
