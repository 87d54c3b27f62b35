import { runAction } from '@goship/core/action';
import { main } from './action.js';

// Secret inputs are read and masked before any other input is looked at.
await runAction('sign-attest', main, {
  secrets: [
    { name: 'key', what: 'signing key', multiline: true },
    { name: 'key-password', what: 'key password' },
    { name: 'github-token', what: 'GitHub token' },
  ],
});
