/**
 * `npm run n8n:lock`: refreshes the lock file of every n8n release the demo and the e2e tests
 * install (test/e2e/n8n-locks/<version>/). Resolves the release's package.json afresh, then checks
 * that `npm ci` accepts the new lock (a package the registry does not serve for every platform
 * leaves an optional dependency out, and `npm ci` then refuses the lock: pin it in the release's
 * `overrides`). Run it on purpose, then `npm run test:e2e`, and commit the locks together.
 *
 * `npm run n8n:lock -- 2.40.7` refreshes one release.
 */
import { execFileSync } from 'child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { RELEASES, lockDir } from '../test/e2e/n8nInstall';

const only = process.argv[2];
for (const release of RELEASES.filter((r) => !only || r.version === only)) {
	const work = mkdtempSync(join(tmpdir(), `n8n-lock-${release.version}-`));
	try {
		copyFileSync(join(lockDir(release), 'package.json'), join(work, 'package.json'));
		process.stdout.write(`n8n ${release.version}: resolving (a minute or two)\n`);
		execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: work, stdio: 'inherit' });
		execFileSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
		copyFileSync(join(work, 'package-lock.json'), join(lockDir(release), 'package-lock.json'));
		process.stdout.write(`n8n ${release.version}: ${join(lockDir(release), 'package-lock.json')} written; npm ci accepts it\n`);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}
