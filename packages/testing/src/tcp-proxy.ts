import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './servers';

/**
 * A TCP proxy a test puts between a client and a shared server, to take the server away without
 * touching it. Two faults, which clients experience differently:
 * - `cut()`: every connection is reset and new ones are refused (a server that is down);
 * - `freeze()`: connections stay open and new ones are accepted, but no byte moves either way
 *   (a network partition or a hung host: nothing answers and nothing fails).
 * `restore()` undoes either on the same port.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly pairs = new Set<[Socket, Socket]>();
  private frozen = false;

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(await freePort(), target);
    await proxy.listen();
    return proxy;
  }

  /** Resets every connection and stops listening. */
  async cut(): Promise<void> {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    await this.close();
  }

  /** Moves no more bytes, in either direction, on existing and new connections. */
  freeze(): void {
    this.frozen = true;
    for (const [client, upstream] of this.pairs) {
      // Unpiped, a socket is no longer read: bytes wait in the kernel, as behind a dead link.
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** Listens again after a cut, or lets bytes flow again after a freeze. */
  async restore(): Promise<void> {
    this.frozen = false;
    for (const pair of this.pairs) flow(pair);
    if (!this.server) await this.listen();
  }

  /** Stops the proxy and resets what is still connected. */
  async stop(): Promise<void> {
    await this.cut();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => this.connect(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  private connect(client: Socket): void {
    const upstream = createConnection(this.target);
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    for (const socket of pair) {
      socket.on('error', () => {});
      socket.on('close', () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      });
    }
    if (!this.frozen) flow(pair);
  }

  private close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}

function flow([client, upstream]: [Socket, Socket]): void {
  client.pipe(upstream);
  upstream.pipe(client);
}
