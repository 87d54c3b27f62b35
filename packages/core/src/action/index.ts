/** The action layer: runAction, the context main receives, typed inputs, secrets and the runner port. */
export { ActionContext, type Log, type PhaseTiming } from './context.js';
export { Inputs, type InputSource, inputEnvName, type IntOptions, type StringOptions, parseDuration, splitList } from './inputs.js';
export {
  type AnnotationLevel,
  type AnnotationProps,
  type MemoryPortRecord,
  type RunnerPort,
  currentPort,
  memoryPort,
  withPort,
} from './port.js';
export { type ActionOptions, failureMessage, runAction } from './run.js';
export { Secrets, type SecretSpec, readSecrets } from './secrets.js';
