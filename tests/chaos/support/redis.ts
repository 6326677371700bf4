// A Redis of the chaos suite's own (the machine's shared Redis must not be stopped): a child
// redis-server on a free port, nothing kept on disk, that can be killed and started again on the
// same port (BullMQ's messages are then gone, as after a real Redis crash without persistence).
import { spawn, type ChildProcess } from "node:child_process";
import { createConnection } from "node:net";

import { freePort } from "@lightbox/shopify-simulator/stack";

export type ChaosRedis = { url: string; port: number; stop(): Promise<void>; start(): Promise<void>; close(): Promise<void> };

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" }, () => socket.write("PING\r\n"));
    socket.on("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.on("error", () => resolve(false));
  });
}

export async function startChaosRedis(): Promise<ChaosRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    for (let i = 0; i < 100 && !(await answers(port)); i++) await new Promise((r) => setTimeout(r, 50));
    if (!(await answers(port))) throw new Error("redis-server did not start (is it installed? apt-get install redis-server)");
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, stop, close: stop };
}
