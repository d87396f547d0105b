import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { uniqueName } from './ids';
import { LOCAL_SERVERS, requireLocal, serverMode } from './servers';

const run = promisify(execFile);

export interface RabbitmqTarget {
  /** amqp URL of a virtual host created for this suite alone. */
  url: string;
  vhost: string;
  /** Deletes the virtual host with every queue and exchange in it. */
  cleanup(): Promise<void>;
}

type Ctl = (args: string[]) => Promise<void>;

function amqpUrl(host: string, port: number, user: string, password: string, vhost: string): string {
  const url = new URL(`amqp://${host}:${port}/${encodeURIComponent(vhost)}`);
  url.username = user;
  url.password = password;
  return url.toString();
}

/** RabbitMQ for one suite, isolated in its own virtual host (made with rabbitmqctl). */
export async function useRabbitmq(): Promise<RabbitmqTarget> {
  const vhost = uniqueName('estate-test');
  let host = '127.0.0.1';
  let port = 5672;
  let user = 'guest';
  let password = 'guest';
  let ctl: Ctl;
  let stop = async () => {};
  if ((await serverMode()) === 'local') {
    await requireLocal(LOCAL_SERVERS.rabbitmq);
    ctl = async (args) => {
      await run('rabbitmqctl', ['-q', ...args], { timeout: 30_000 });
    };
  } else {
    const { RabbitMQContainer } = await import('@testcontainers/rabbitmq');
    const container = await new RabbitMQContainer('rabbitmq:3.13-alpine').start();
    host = container.getHost();
    port = container.getMappedPort(5672);
    user = 'guest';
    password = 'guest';
    ctl = async (args) => {
      const result = await container.exec(['rabbitmqctl', '-q', ...args]);
      if (result.exitCode !== 0) throw new Error(`rabbitmqctl ${args[0]} failed: ${result.output}`);
    };
    stop = async () => {
      await container.stop();
    };
  }
  await ctl(['add_vhost', vhost]);
  await ctl(['set_permissions', '-p', vhost, user, '.*', '.*', '.*']);
  return {
    url: amqpUrl(host, port, user, password, vhost),
    vhost,
    cleanup: async () => {
      await ctl(['delete_vhost', vhost]);
      await stop();
    },
  };
}
