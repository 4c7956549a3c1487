import { readdirSync } from 'fs';
import { join } from 'path';

import { CURRENT_N8N, LOCKS_DIR, RELEASES, byNewest, lockedVersions, newestOfMajor, releaseOf } from '../e2e/n8nInstall';

describe('the n8n releases the real-n8n tests install, read from test/e2e/n8n-locks/', () => {
	test('versions sort by number, newest first, not as text', () => {
		expect(['1.123.81', '2.9.0', '2.41.1', '2.40.7', '2.41.10'].sort(byNewest)).toEqual(['2.41.10', '2.41.1', '2.40.7', '2.9.0', '1.123.81']);
	});

	test('the newest of a major version', () => {
		const versions = ['1.123.81', '2.9.0', '2.41.1', '2.40.7'];
		expect(newestOfMajor(versions, 2)).toBe('2.41.1');
		expect(newestOfMajor(versions, 1)).toBe('1.123.81');
		expect(newestOfMajor(versions, 3)).toBeUndefined();
	});

	test('a 2.x runs on the Node 24 of its lock and is published; a 1.x runs here with the legacy expression engine', () => {
		const two = releaseOf('2.41.1');
		expect([two.node, two.env, two.activate('w1')]).toEqual(['bundled-24', undefined, ['publish:workflow', '--id=w1']]);
		const one = releaseOf('1.123.81');
		expect([one.node, one.env, one.activate('w1')]).toEqual(['system', { N8N_EXPRESSION_ENGINE: 'legacy' }, ['update:workflow', '--id=w1', '--active=true']]);
	});

	test('every committed lock is a release; the newest 2.x is the current one', () => {
		const folders = readdirSync(LOCKS_DIR).filter((name) => readdirSync(join(LOCKS_DIR, name)).includes('package-lock.json'));
		expect(RELEASES.map((r) => r.version).sort()).toEqual(folders.sort());
		expect(lockedVersions()).toEqual([...folders].sort(byNewest));
		expect(CURRENT_N8N.version).toBe(newestOfMajor(folders, 2));
		expect(RELEASES.some((r) => r.version.startsWith('1.'))).toBe(true);
	});
});
