export * from './database';
export * from './recycle';
export * from './redis';
export * from './service';
export * from './shutdown';
