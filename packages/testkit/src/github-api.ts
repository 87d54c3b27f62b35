/**
 * The GitHub API stand-in (the implementation lives in github/; see github/stand-in.ts).
 */
export * from './github/stand-in.js';
export { githubAssetName } from './github/asset-name.js';
