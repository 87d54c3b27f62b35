/**
 * GitHub Marketplace lists only the action.yml at the root of a repository. Its rules, checked on
 * the root action: a name unique among goship's actions, a description of at most 125 characters,
 * an author, a Feather icon GitHub accepts and one of its badge colours, and every input and
 * output described (and documented in the README's generated tables).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTIONS } from '../packages/pipeline/src/chain.js';
import { repoRoot } from '../packages/testkit/src/fixtures.js';

interface ActionYaml {
  name: string;
  description: string;
  author?: string;
  branding?: { icon?: string; color?: string };
  inputs?: Record<string, { description?: string; default?: unknown }>;
  outputs?: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string };
}

const load = (dir: string): ActionYaml => parse(readFileSync(path.join(dir, 'action.yml'), 'utf8')) as ActionYaml;

// The badge colours and the Feather icons (v4.28) that GitHub's metadata syntax accepts for `branding`.
const COLORS = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark'];
const ICONS = `activity airplay alert-circle alert-octagon alert-triangle align-center align-justify align-left align-right
anchor aperture archive arrow-down-circle arrow-down-left arrow-down-right arrow-down arrow-left-circle arrow-left
arrow-right-circle arrow-right arrow-up-circle arrow-up-left arrow-up-right arrow-up at-sign award bar-chart-2 bar-chart
battery-charging battery bell-off bell bluetooth bold book-open book bookmark box briefcase calendar camera-off camera cast
check-circle check-square check chevron-down chevron-left chevron-right chevron-up chevrons-down chevrons-left
chevrons-right chevrons-up circle clipboard clock cloud-drizzle cloud-lightning cloud-off cloud-rain cloud-snow cloud code
command compass copy corner-down-left corner-down-right corner-left-down corner-left-up corner-right-down corner-right-up
corner-up-left corner-up-right cpu credit-card crop crosshair database delete disc dollar-sign download-cloud download
droplet edit-2 edit-3 edit external-link eye-off eye fast-forward feather file-minus file-plus file-text file film filter
flag folder-minus folder-plus folder gift git-branch git-commit git-merge git-pull-request globe grid hard-drive hash
headphones heart help-circle home image inbox info italic layers layout life-buoy link-2 link list loader lock log-in
log-out mail map-pin map maximize-2 maximize menu message-circle message-square mic-off mic minimize-2 minimize minus-circle
minus-square minus monitor moon more-horizontal more-vertical move music navigation-2 navigation octagon package paperclip
pause-circle pause percent phone-call phone-forwarded phone-incoming phone-missed phone-off phone-outgoing phone pie-chart
play-circle play plus-circle plus-square plus pocket power printer radio refresh-ccw refresh-cw repeat rewind rotate-ccw
rotate-cw rss save scissors search send server settings share-2 share shield-off shield shopping-bag shopping-cart shuffle
sidebar skip-back skip-forward slash sliders smartphone speaker square star stop-circle sun sunrise sunset table tablet tag
target terminal thermometer thumbs-down thumbs-up toggle-left toggle-right trash-2 trash trending-down trending-up triangle
truck tv type umbrella underline unlock upload-cloud upload user-check user-minus user-plus user-x user users video-off
video voicemail volume-1 volume-2 volume-x volume watch wifi-off wifi wind x-circle x-octagon x-square x zap-off zap
zoom-in zoom-out`.split(/\s+/);

const root = load(repoRoot);
const subs = ACTIONS.map((a) => ({ a, yml: load(path.join(repoRoot, 'actions', a)) }));

describe('the root action.yml (the Marketplace listing)', () => {
  it('has a name unique among goship actions, a short description and an author', () => {
    expect(root.name.trim()).not.toBe('');
    for (const { yml } of subs) expect(yml.name).not.toBe(root.name);
    expect(root.description.length).toBeGreaterThan(20);
    expect(root.description.length).toBeLessThanOrEqual(125);
    expect(root.author?.trim()).toBeTruthy();
  });

  it.each([{ a: 'root', yml: root }, ...subs])('$a: branding is a Feather icon and a colour GitHub accepts', ({ yml }) => {
    expect(ICONS).toContain(yml.branding?.icon);
    expect(COLORS).toContain(yml.branding?.color);
  });

  it('runs on node24 with a main and a post entry, and describes every input and output', () => {
    expect(root.runs.using).toBe('node24');
    expect(root.runs.main).toBe('dist/index.js');
    expect(root.runs.post).toBe('dist/post/index.js');
    const inputs = Object.entries(root.inputs ?? {});
    const outputs = Object.entries(root.outputs ?? {});
    expect(inputs.length).toBeGreaterThan(5);
    for (const [k, v] of [...inputs, ...outputs]) expect(v.description?.trim(), k).toBeTruthy();
  });

  it('the README documents every input and output of the root action', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    for (const k of Object.keys(root.inputs ?? {})) expect(readme, k).toContain(`| \`${k}\` |`);
    for (const k of Object.keys(root.outputs ?? {})) expect(readme, k).toContain(`| \`${k}\` |`);
  });
});
