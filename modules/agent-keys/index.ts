export * from './agent-keys';
