export * from './atlantis';
export * from './hcp-workspaces';
export * from './runner-app';
export * from './stack-graph';
