import { runAction } from '@goship/core/action';
import { SECRETS, main } from './action.js';

await runAction('go-quality-gate', main, { secrets: SECRETS });
