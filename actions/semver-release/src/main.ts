import { runAction } from '@goship/core/action';
import { main } from './action.js';

// Secret inputs are read and masked before any other input is looked at.
await runAction('semver-release', main, {
  secrets: [
    { name: 'token', what: 'GitHub token' },
    { name: 'announce-webhook', what: 'webhook URL' },
    { name: 'tap-token', what: 'Homebrew tap and Scoop bucket token' },
  ],
});
