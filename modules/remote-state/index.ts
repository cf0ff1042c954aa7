export * from './backend-config';
export * from './remote-state';
