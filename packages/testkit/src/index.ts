export * from './runner.js';
export * from './fixtures.js';
