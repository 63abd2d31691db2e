// The API's input schemas are the contract's (core/contract/schemas.ts); core/api checks them
// against the registries (see API_METHODS in api.ts).

export * from '../contract/schemas.ts';
export type { ExampleResultSort } from '../contract/views/example-results.ts';
