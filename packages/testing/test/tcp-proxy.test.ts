import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { TcpProxy } from '../src';

let echo: Server;
let proxy: TcpProxy;

beforeAll(async () => {
  echo = createServer((socket) => socket.pipe(socket));
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  const address = echo.address() as { port: number };
  proxy = await TcpProxy.start({ host: '127.0.0.1', port: address.port });
});

afterAll(async () => {
  await proxy.stop();
  echo.close();
});

async function connect(): Promise<{ socket: Socket; received: () => string }> {
  const socket = createConnection({ host: '127.0.0.1', port: proxy.port });
  socket.on('error', () => {});
  let data = '';
  socket.on('data', (chunk) => {
    data += chunk;
  });
  await once(socket, 'connect');
  return { socket, received: () => data };
}

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5_000) throw new Error('condition not met within 5 s');
    await sleep(10);
  }
}

test('passes bytes both ways, holds them while frozen (connection open) and delivers them on restore', async () => {
  const { socket, received } = await connect();
  socket.write('one;');
  await until(() => received() === 'one;');

  proxy.freeze();
  socket.write('two;');
  const late = await connect();
  late.socket.write('three;');
  // Nothing can prove "never"; a quarter of a second without a byte, on open sockets, is the freeze.
  await sleep(250);
  expect(received()).toBe('one;');
  expect(late.received()).toBe('');
  expect(socket.destroyed).toBe(false);

  await proxy.restore();
  await until(() => received() === 'one;two;' && late.received() === 'three;');
  socket.destroy();
  late.socket.destroy();
});

test('a cut resets open connections and refuses new ones until restored', async () => {
  const { socket } = await connect();
  const closed = once(socket, 'close');
  await proxy.cut();
  await closed;
  const refused = createConnection({ host: '127.0.0.1', port: proxy.port });
  const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
  expect(error.code).toBe('ECONNREFUSED');

  await proxy.restore();
  const again = await connect();
  again.socket.write('back;');
  await until(() => again.received() === 'back;');
  again.socket.destroy();
});
