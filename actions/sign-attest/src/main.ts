import { runAction } from '@goship/core/run';
import { main } from './action.js';

await runAction('sign-attest', main);
