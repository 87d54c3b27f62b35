import { runAction } from '@goship/core/action';
import { SECRETS, main } from './action.js';

// Secret inputs are read and masked before any other input is looked at.
await runAction('sign-attest', main, { secrets: SECRETS });
