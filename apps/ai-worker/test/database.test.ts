import { INVALID_PASSWORD, retryingAuthentication } from '../src/db/database';

const authFailure = () =>
  Object.assign(new Error('password authentication failed'), { code: INVALID_PASSWORD });

describe('retryingAuthentication', () => {
  it('on 28P01 refreshes once and retries once', async () => {
    const refresh = jest.fn(async () => {});
    const work = jest.fn().mockRejectedValueOnce(authFailure()).mockResolvedValueOnce('rows');
    await expect(retryingAuthentication(work, { onAuthenticationFailure: refresh })).resolves.toBe('rows');
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(work).toHaveBeenCalledTimes(2);
  });

  it('gives up after the one retry', async () => {
    const refresh = jest.fn(async () => {});
    const work = jest.fn().mockRejectedValue(authFailure());
    await expect(retryingAuthentication(work, { onAuthenticationFailure: refresh })).rejects.toMatchObject({
      code: INVALID_PASSWORD,
    });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(work).toHaveBeenCalledTimes(2);
  });

  it('does not refresh for other errors', async () => {
    const refresh = jest.fn(async () => {});
    const work = jest.fn().mockRejectedValue(Object.assign(new Error('syntax'), { code: '42601' }));
    await expect(retryingAuthentication(work, { onAuthenticationFailure: refresh })).rejects.toThrow(
      'syntax',
    );
    expect(refresh).not.toHaveBeenCalled();
  });
});
