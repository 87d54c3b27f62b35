/**
 * Reading the decoded (raw) values of a GoReleaser file: the shapes decode.ts produces, narrowed
 * to what a field should hold. Missing or mistyped values read as absent (decode reported them).
 */
import { type Raw, type RawObject } from './decode.js';
import { type Tmpl } from './where.js';

export function isTmpl(v: Raw | undefined): v is Tmpl {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Tmpl).text === 'string' && 'where' in v;
}
export function objOf(v: Raw | undefined): RawObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isTmpl(v) ? v : undefined;
}
export function listOf(v: Raw | undefined): Raw[] {
  return Array.isArray(v) ? v : [];
}
export function strOf(v: Raw | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (isTmpl(v)) return v.text;
  return undefined;
}
export function strsOf(v: Raw | undefined): string[] {
  return listOf(v)
    .map(strOf)
    .filter((s): s is string => s !== undefined);
}
export function tmplsOf(v: Raw | undefined): Tmpl[] {
  return listOf(v).filter(isTmpl);
}
export function tmplOf(v: Raw | undefined): Tmpl | undefined {
  return isTmpl(v) && v.text !== '' ? v : undefined;
}
