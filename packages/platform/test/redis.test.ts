import { redisConnection } from '../src';

describe('redisConnection', () => {
  it('maps host, port and password, without TLS when the secret has none', () => {
    expect(redisConnection({ host: 'cache', port: 6380, password: 'from-the-secret' })).toEqual({
      host: 'cache',
      port: 6380,
      password: 'from-the-secret',
      tls: undefined,
    });
  });

  it('turns on TLS with the servername and the decoded CA', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const options = redisConnection({
      host: 'cache',
      port: 6379,
      tls: { servername: 'cache.internal', ca: Buffer.from(pem).toString('base64') },
    });
    expect(options.tls).toEqual({ servername: 'cache.internal', ca: pem });
  });
});
