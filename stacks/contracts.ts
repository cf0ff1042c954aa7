/** The stacks' contracts; defined in modules/contracts.ts so that modules can use them without importing stacks/. */
export * from '../modules/contracts';
