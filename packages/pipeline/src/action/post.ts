/** The one-step action's post step: setup-go-matrix's cache save, with the state its main step saved. */
import { runAction } from '@goship/core/action';
import { post } from '@goship/setup-go-matrix/post';
import { ROOT_SECRETS } from './inputs.js';

await runAction('goship (post)', post, { secrets: ROOT_SECRETS });
