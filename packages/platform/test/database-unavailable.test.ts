import { isDatabaseUnavailable } from '../src';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  test.each([
    ['refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['reset', withCode('ECONNRESET')],
    ['DNS', withCode('ENOTFOUND')],
    ['statement_timeout (57014)', withCode('57014', 'canceling statement due to statement timeout')],
    ['admin shutdown (57P01)', withCode('57P01')],
    ['cannot connect now (57P03)', withCode('57P03')],
    ['too many connections (53300)', withCode('53300')],
    ['connection exception class 08', withCode('08006')],
    ['pool slot or connect timeout', new Error('timeout exceeded when trying to connect')],
    ['query_timeout', new Error('Query read timeout')],
    ['socket closed under a query', new Error('Connection terminated unexpectedly')],
    // A socket error made in another realm (a test sandbox): no instanceof, same shape.
    ['plain object from another realm', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }],
  ])('%s: unavailable (503)', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  test.each([
    ['unique violation (23505)', withCode('23505')],
    ['invalid password (28P01): the refresh-and-retry path, then a real error', withCode('28P01')],
    ['syntax error (42601)', withCode('42601')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'ECONNREFUSED'],
    ['null', null],
  ])('%s: not unavailable', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
