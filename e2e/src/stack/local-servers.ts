import { isPortOpen, LOCAL_SERVERS } from '@estate/testing';

export interface MissingServer {
  name: string;
  port: number;
  /** The command that starts it on a machine of this kind. */
  start: string;
}

/** PostgreSQL, Redis and RabbitMQ on 127.0.0.1 that do not answer, with the command that starts each. */
export async function missingLocalServers(): Promise<MissingServer[]> {
  const servers = Object.values(LOCAL_SERVERS);
  const open = await Promise.all(servers.map((server) => isPortOpen(server.port)));
  return servers.filter((_, index) => !open[index]);
}

export function describeMissing(missing: MissingServer[]): string {
  return missing
    .map(
      (server) =>
        `${server.name} does not answer on 127.0.0.1:${server.port}; start it with:\n  ${server.start}`,
    )
    .join('\n');
}
