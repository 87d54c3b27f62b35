import { runAction } from '@goship/core/action';
import { post } from './post-step.js';

await runAction('setup-go-matrix (post)', post, { secrets: [{ name: 'git-token', what: 'git token' }] });
