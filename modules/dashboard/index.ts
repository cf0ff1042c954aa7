export * from './metrics';
export * from './widgets';
export * from './layout';
export * from './body';
