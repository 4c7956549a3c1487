/**
 * `npm run n8n:lock`: the lock files of the n8n releases the demo and the real-n8n tests install
 * (test/e2e/n8n-locks/<version>/). Resolves a release's package.json afresh, then checks that
 * `npm ci` accepts the new lock (a package the registry does not serve for every platform leaves
 * an optional dependency out, and `npm ci` then refuses the lock: pin it in the release's
 * `overrides`). Run it on purpose, then `npm run test:e2e`, and commit the locks together.
 *
 *   npm run n8n:lock                  refreshes every release's lock
 *   npm run n8n:lock -- 2.40.7        refreshes one
 *   npm run n8n:lock -- 2.42.0        adds a release: its package.json is made from the newest lock
 *                                     of the same major (n8n's version changed, Node and overrides
 *                                     kept); a release newer than every lock of its major replaces
 *                                     the newest of them (its folder is removed), so it becomes the
 *                                     current release (or the last 1.x)
 *   npm run n8n:lock -- 2.42.0 --keep adds it and keeps the former one (the e2e then runs both)
 *
 * A release whose tree does not resolve keeps its new package.json (the tests ignore a folder
 * without a lock): add the overrides it needs there and run the same command again.
 */
import { execFileSync } from 'child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { byNewest, lockDir, lockedVersions, newestOfMajor } from '../test/e2e/n8nInstall';

const say = (message: string) => process.stdout.write(`${message}\n`);

interface LockManifest {
	name: string;
	private: boolean;
	dependencies: Record<string, string>;
	overrides?: Record<string, string>;
}

/** Resolves one release's package.json into a lock that `npm ci` accepts, and writes it beside it. */
function resolveLock(version: string) {
	const work = mkdtempSync(join(tmpdir(), `n8n-lock-${version}-`));
	try {
		copyFileSync(join(lockDir(version), 'package.json'), join(work, 'package.json'));
		say(`n8n ${version}: resolving (a minute or two)`);
		execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: work, stdio: 'inherit' });
		execFileSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
		copyFileSync(join(work, 'package-lock.json'), join(lockDir(version), 'package-lock.json'));
		say(`n8n ${version}: ${join(lockDir(version), 'package-lock.json')} written; npm ci accepts it`);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

/** A new release's package.json, made from the newest lock of its major version. */
function createManifest(version: string, locked: string[]) {
	const major = Number(version.split('.')[0]);
	const template = newestOfMajor(locked, major);
	if (!template) throw new Error(`no n8n ${major}.x lock to start n8n ${version} from: write test/e2e/n8n-locks/${version}/package.json by hand (see the others)`);
	const manifest = JSON.parse(readFileSync(join(lockDir(template), 'package.json'), 'utf8')) as LockManifest;
	manifest.name = `n8n-${version}`;
	manifest.dependencies.n8n = version;
	mkdirSync(lockDir(version), { recursive: true });
	writeFileSync(join(lockDir(version), 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
	const carried = Object.entries(manifest.overrides ?? {}).map(([name, pin]) => `${name} ${pin}`);
	say(`n8n ${version}: package.json made from n8n ${template}'s${carried.length ? `, with its overrides (${carried.join(', ')}): drop any the new release no longer needs` : ''}`);
}

function main() {
	const args = process.argv.slice(2);
	const keep = args.includes('--keep');
	const only = args.find((a) => !a.startsWith('--'));
	if (only && !/^\d+\.\d+\.\d+$/.test(only)) throw new Error(`"${only}" is not an n8n version (such as 2.41.1)`);
	const locked = lockedVersions();
	if (!only) {
		for (const version of lockedVersions('package.json')) resolveLock(version);
		return;
	}
	if (locked.includes(only)) return resolveLock(only);

	// A new release (or one whose earlier add did not resolve).
	const major = Number(only.split('.')[0]);
	const newest = newestOfMajor(locked, major);
	if (!existsSync(join(lockDir(only), 'package.json'))) createManifest(only, locked);
	try {
		resolveLock(only);
	} catch {
		say(`n8n ${only} does not resolve (npm's error above). Its package.json stays in ${lockDir(only)}: pin what is missing in its overrides, then run this command again.`);
		process.exit(1);
	}
	if (newest && byNewest(only, newest) < 0 && !keep) {
		rmSync(lockDir(newest), { recursive: true, force: true });
		say(`n8n ${only} replaces n8n ${newest} (its lock folder removed; --keep keeps it)`);
	}
	say(`Next: npm run test:e2e (and the demo, editor and queue tests), then commit test/e2e/n8n-locks/.`);
}

main();
