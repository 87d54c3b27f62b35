/**
 * Package metadata that can be known without asking: the license from the LICENSE file, the
 * homepage from the repository (or the module path), the maintainer from the released commit's
 * author, a synopsis from the README; and the Debian files a policy-clean package carries
 * (copyright in the machine-readable format, a changelog of the released version).
 */
import { output } from '@goship/core/exec';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** License files at a module's root, as tools usually find them. */
const LICENSE_FILE = /^(licen[cs]e|copying)(\.(md|txt|rst))?$/i;

export function findLicenseFile(dir: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const hit = names.filter((n) => LICENSE_FILE.test(n)).sort()[0];
  return hit ? path.join(dir, hit) : undefined;
}

/** SPDX identifiers recognised from the license text's own wording (first match wins). */
const SIGNATURES: [string, RegExp][] = [
  ['AGPL-3.0-only', /GNU AFFERO GENERAL PUBLIC LICENSE\s+Version 3/i],
  ['LGPL-3.0-only', /GNU LESSER GENERAL PUBLIC LICENSE\s+Version 3/i],
  ['LGPL-2.1-only', /GNU LESSER GENERAL PUBLIC LICENSE\s+Version 2\.1/i],
  ['GPL-3.0-only', /GNU GENERAL PUBLIC LICENSE\s+Version 3/i],
  ['GPL-2.0-only', /GNU GENERAL PUBLIC LICENSE\s+Version 2/i],
  ['Apache-2.0', /Apache License\s+Version 2\.0/i],
  ['MPL-2.0', /Mozilla Public License(,)?\s+(Version|v\.?)\s*2\.0/i],
  ['Unlicense', /This is free and unencumbered software released into the public domain/i],
  ['ISC', /Permission to use, copy, modify, and\/or distribute this software for any/i],
  ['BSD-3-Clause', /Neither the name of .+? nor the names of/is],
  ['BSD-2-Clause', /Redistribution and use in source and binary forms, with or without\s+modification, are permitted/i],
  ['MIT', /Permission is hereby granted, free of charge, to any person obtaining a copy/i],
];

export function detectLicense(text: string): string | undefined {
  return SIGNATURES.find(([, re]) => re.test(text))?.[0];
}

/** `Copyright (c) 2026 Acme` lines → `2026 Acme`, for the copyright file's `Copyright:` field. */
export function copyrightHolders(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*Copyright\s*(?:\(c\)|©)?\s*(\d{4}.*)$/i.exec(line);
    if (m) out.push(m[1]!.trim());
  }
  return [...new Set(out)];
}

/** The first sentence of the README's first prose paragraph (no headings, badges or HTML). */
export function readmeSynopsis(dir: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const file = names.filter((n) => /^readme(\.(md|markdown|txt|rst))?$/i.test(n)).sort()[0];
  if (!file) return undefined;
  const text = readFileSync(path.join(dir, file), 'utf8');
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim());
  for (const p of paragraphs) {
    if (!p || /^(#|<|!\[|\[!\[|=|-{3}|```|\||>)/.test(p)) continue;
    const plain = p
      .replace(/\s+/g, ' ')
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/[`*_]/g, '')
      .trim();
    const sentence = /^(.+?[.!?])(\s|$)/.exec(plain)?.[1] ?? plain;
    if (sentence.length >= 8) return sentence.length > 200 ? `${sentence.slice(0, 197)}…` : sentence;
  }
  return undefined;
}

/** `Name <email>` of the commit's author. */
export async function commitAuthor(dir: string, commit = 'HEAD'): Promise<string | undefined> {
  try {
    const who = await output('git', ['-c', 'log.showSignature=false', 'show', '-s', '--format=%an <%ae>', commit], { cwd: dir });
    return /^.+ <[^<>\s]+@[^<>\s]+>$/.test(who) ? who : undefined;
  } catch {
    return undefined;
  }
}

/** The repository's web page, else the module's (hosted modules), else its pkg.go.dev page. */
export function defaultHomepage(module: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.GITHUB_REPOSITORY) return `${(env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')}/${env.GITHUB_REPOSITORY}`;
  const parts = module.split('/');
  if (/^(github\.com|gitlab\.com|codeberg\.org|bitbucket\.org)$/.test(parts[0] ?? '') && parts.length >= 3) {
    return `https://${parts.slice(0, 3).join('/')}`;
  }
  return `https://pkg.go.dev/${module}`;
}

const DEP5 = 'https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/';

/** Debian's machine-readable copyright file; the license text is included (indented, `.` for blank lines). */
export function debianCopyright(o: { name: string; source: string; license: string; text?: string }): string {
  const holders = o.text ? copyrightHolders(o.text) : [];
  const lines = [
    `Format: ${DEP5}`,
    `Upstream-Name: ${o.name}`,
    `Source: ${o.source}`,
    '',
    'Files: *',
    `Copyright: ${holders.length ? holders.join('\n           ') : 'the authors of ' + o.name}`,
    `License: ${o.license}`,
  ];
  if (o.text) {
    for (const l of o.text.replace(/\r\n/g, '\n').trim().split('\n')) lines.push(l.trim() === '' ? ' .' : ` ${l.trimEnd()}`);
  }
  return `${lines.join('\n')}\n`;
}

/** RFC 2822 date as debian/changelog wants it: `Thu, 01 Jan 2026 00:00:00 +0000`. */
export function changelogDate(iso: string): string {
  return new Date(iso).toUTCString().replace(/GMT$/, '+0000');
}

/** A Debian changelog with one entry: the released version. */
export function debianChangelog(o: { name: string; version: string; maintainer: string; date: string; tag: string }): string {
  return `${o.name} (${o.version}) unstable; urgency=medium\n\n  * Release ${o.tag}.\n\n -- ${o.maintainer}  ${changelogDate(o.date)}\n`;
}

export function exists(p: string): boolean {
  return existsSync(p);
}
