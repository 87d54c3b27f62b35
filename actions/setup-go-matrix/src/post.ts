import { runAction } from '@goship/core/run';
import { post } from './post-step.js';

await runAction('setup-go-matrix (post)', post);
