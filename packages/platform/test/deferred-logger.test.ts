import type { LoggerLike } from '@estate/secrets';
import { DeferredLogger } from '../src/deferred-logger';

function recording(): LoggerLike & { lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (object: object, message: string) =>
    lines.push(`${level} ${message} ${JSON.stringify(object)}`);
  return { lines, info: write('info'), warn: write('warn'), error: write('error') };
}

test('holds the lines written before attach, then writes them through in order, with their levels', () => {
  const deferred = new DeferredLogger();
  deferred.info({ source: 'aws' }, 'secrets source');
  deferred.warn({ group: 'database' }, 'refresh failed');
  const target = recording();
  expect(target.lines).toEqual([]);

  deferred.attach(target);
  expect(target.lines).toEqual([
    'info secrets source {"source":"aws"}',
    'warn refresh failed {"group":"database"}',
  ]);
});

test('after attach, every line goes straight to the service logger (the container keeps this one for life)', () => {
  const deferred = new DeferredLogger();
  const target = recording();
  deferred.attach(target);
  deferred.error(
    { group: 'estate/dev/jwt', fieldPaths: ['secret'] },
    'refreshed secret rejected by its schema',
  );
  expect(target.lines).toEqual([
    'error refreshed secret rejected by its schema {"group":"estate/dev/jwt","fieldPaths":["secret"]}',
  ]);
});
