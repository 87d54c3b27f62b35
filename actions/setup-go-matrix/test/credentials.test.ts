import { tempDir } from '@goship/testkit';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsConfig, privateHosts, removeGitCredentials, writeGitCredentials } from '../src/credentials.js';
import { exportedEnv } from '../src/env.js';

function gitConfig(env: Record<string, string>, cwd: string): string {
  const r = spawnSync('git', ['config', '--get-regexp', '^url\\.'], {
    cwd,
    env: { PATH: process.env.PATH, HOME: cwd, ...env },
    encoding: 'utf8',
  });
  return r.stdout.trim();
}

describe('git credentials', () => {
  it('hosts come from GOPRIVATE patterns without wildcards in the host; github.com when none', () => {
    expect(privateHosts('git.corp.example/*,github.com/acme/*,*.internal')).toEqual(['git.corp.example', 'github.com']);
    expect(privateHosts('')).toEqual(['github.com']);
    // nothing that could break out of the config file's quoted section name
    expect(privateHosts('evil"]/x,host:8443/y,-bad/z')).toEqual(['host:8443']);
  });

  it('percent-encodes the token, so no character of it can end the section name', () => {
    expect(credentialsConfig('a"b]\\c', ['github.com'])).toBe(
      '[url "https://x-access-token:a%22b%5D%5Cc@github.com/"]\n\tinsteadOf = https://github.com/\n',
    );
  });

  it('writes a 0600 file in its own 0700 folder in RUNNER_TEMP that git reads through GIT_CONFIG_* include.path', async () => {
    const temp = await tempDir('goship-cred-');
    const creds = await writeGitCredentials('ghp_tok123', 'github.com/acme/*,git.corp.example/x', temp);
    expect(path.dirname(path.dirname(creds.file))).toBe(temp);
    expect((await stat(creds.file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(creds.file))).mode & 0o777).toBe(0o700);
    const env = exportedEnv({
      toolchain: 'local',
      modReadonly: false,
      currentGoflags: '',
      goproxy: '',
      goprivate: '',
      gonosumdb: '',
      gitConfigFile: creds.file,
      gitConfigCount: 0,
    });
    expect(Object.values(env).join('\n')).not.toContain('ghp_tok123');
    expect(gitConfig(env, temp)).toBe(
      [
        'url.https://x-access-token:ghp_tok123@git.corp.example/.insteadof https://git.corp.example/',
        'url.https://x-access-token:ghp_tok123@github.com/.insteadof https://github.com/',
      ].join('\n'),
    );
    expect(await removeGitCredentials(creds.file, temp)).toBe(true);
    expect(existsSync(path.dirname(creds.file))).toBe(false);
    expect(gitConfig(env, temp)).toBe(''); // a missing include is ignored by git
  });

  it('removes only a file it wrote: anything else named in the state is left alone', async () => {
    const temp = await tempDir('goship-cred-');
    const other = path.join(temp, 'other', 'config');
    await mkdir(path.dirname(other));
    await writeFile(other, 'keep');
    expect(await removeGitCredentials(other, temp)).toBe(false);
    expect(await removeGitCredentials('/etc/passwd', temp)).toBe(false);
    expect(await readFile(other, 'utf8')).toBe('keep');
  });
});
