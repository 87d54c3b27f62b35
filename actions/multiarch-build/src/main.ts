import { runAction } from '@goship/core';
import { main } from './action.js';

await runAction('multiarch-build', main);
