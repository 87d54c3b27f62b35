import { runAction } from '@goship/core';
import { main } from './action.js';

await runAction('go-quality-gate', main);
