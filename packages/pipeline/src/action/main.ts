import { runAction } from '@goship/core/action';
import { main } from './action.js';
import { ROOT_SECRETS } from './inputs.js';

// Secret inputs are read and masked before any other input is looked at.
await runAction('goship', main, { secrets: ROOT_SECRETS });
