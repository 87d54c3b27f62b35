import type { Log } from '@goship/core/action';

/** A Log that keeps its lines (`level: message`), for asserting what a domain module said. */
export function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  const say = (level: string) => (m: string) => void lines.push(`${level}: ${m}`);
  return { lines, info: say('info'), warning: say('warning'), error: say('error'), notice: say('notice'), debug: say('debug') };
}
