import { runAction } from '@goship/core/action';
import { main } from './action.js';

await runAction('go-quality-gate', main);
