export * from './catalog';
export * from './marks';
export * from './parameters';
export * from './schemas';
