// A TCP proxy on 127.0.0.1 in front of a test server (e.g. s3rver) that can stall traffic: slow
// or briefly unreachable storage during Litestream's final sync (docs/lifecycle.md, section 2).
import { createConnection, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface TcpProxy {
  /** e.g. "http://127.0.0.1:41234": use in place of the target's endpoint. */
  endpoint: string;
  port: number;
  /**
   * From now on, bytes from clients are held (connections are still accepted): every request
   * hangs, as on a stalled network. Nothing is lost; release() sends it on.
   */
  hold(): void;
  /**
   * From now on, the target is unreachable: open connections are reset and new ones are closed
   * as soon as they are accepted, as when storage is down. release() ends it.
   */
  refuse(): void;
  /** Forwards everything held and stops holding or refusing. */
  release(): void;
  /** Closes the listener and every connection (idempotent). */
  close(): Promise<void>;
}

const proxies = new Set<TcpProxy>();

/** Starts a proxy to 127.0.0.1:<targetPort>. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let held = false;
  let refusing = false;
  const sockets = new Set<Socket>();
  const flushes = new Set<() => void>();

  const server: Server = createServer((client) => {
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host: "127.0.0.1", port: targetPort });
    sockets.add(client).add(upstream);
    const queue: Buffer[] = [];
    const flush = () => {
      for (const chunk of queue.splice(0)) upstream.write(chunk);
    };
    flushes.add(flush);
    client.on("data", (chunk: Buffer) => {
      if (held) queue.push(chunk);
      else upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => client.write(chunk));
    const end = () => {
      flushes.delete(flush);
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;

  const proxy: TcpProxy = {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    hold() {
      held = true;
    },
    refuse() {
      refusing = true;
      for (const s of sockets) s.resetAndDestroy();
    },
    release() {
      held = false;
      refusing = false;
      for (const flush of flushes) flush();
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }).finally(() => proxies.delete(proxy));
      return closed;
    },
  };
  proxies.add(proxy);
  return proxy;
}

/** Closes every proxy started by startTcpProxy() that is still open. */
export async function closeAllProxies(): Promise<void> {
  await Promise.all([...proxies].map((p) => p.close()));
}
