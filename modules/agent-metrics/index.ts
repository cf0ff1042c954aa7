export * from './agent-metrics';
