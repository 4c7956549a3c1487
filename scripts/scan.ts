/**
 * `npm run scan`: n8n's community-package scan, run here. It lints what the scanner lints, with
 * the scanner's own configuration (`buildScanConfig` of @n8n/scan-community-package, pinned, with
 * the plugin versions it depends on) and inline configuration off, so an eslint-disable comment
 * changes nothing:
 * - the published tarball (`npm pack`, unpacked): every `.js` file and `package.json`;
 * - the source the package is attested from: `package.json`, `{nodes,credentials}/**` (js, ts, json).
 * Any error or warning fails. Only the scanner's provenance check (it needs the npm registry's
 * attestations of a published version) is not run here.
 */
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative, resolve } from 'path';

const ROOT = resolve(__dirname, '..');
const SCANNER = '@n8n/scan-community-package/scanner/scanner.mjs';

interface LintResult {
	filePath: string;
	errorCount: number;
	warningCount: number;
	messages: Array<{ ruleId: string | null; message: string; line: number; severity: number }>;
}

async function lint(cwd: string, patterns: string[]): Promise<LintResult[]> {
	const { buildScanConfig } = (await import(SCANNER)) as { buildScanConfig: () => Promise<unknown> };
	// The scanner's own eslint, as it resolves it.
	const { ESLint } = (await import(require.resolve('eslint', { paths: [require.resolve(SCANNER)] }))) as typeof import('eslint');
	const eslint = new ESLint({ cwd, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: (await buildScanConfig()) as never, errorOnUnmatchedPattern: false });
	return (await eslint.lintFiles(patterns)) as LintResult[];
}

function sizeOf(dir: string): number {
	return readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
		const path = join(dir, entry.name);
		return sum + (entry.isDirectory() ? sizeOf(path) : statSync(path).size);
	}, 0);
}

async function main() {
	const work = mkdtempSync(join(tmpdir(), 'n8n-scan-'));
	try {
		execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
		const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
		const unpacked = join(work, 'package');
		mkdirSync(unpacked);
		execFileSync('tar', ['-xzf', join(work, tarball), '-C', unpacked, '--strip-components=1']);

		const legs = [
			{ name: 'tarball', cwd: unpacked, results: await lint(unpacked, ['**/*.js', 'package.json']) },
			{ name: 'source', cwd: ROOT, results: await lint(ROOT, ['package.json', '{nodes,credentials}/**/*.{js,ts,json}']) },
		];
		let problems = 0;
		for (const leg of legs) {
			const files = leg.results.length;
			const bad = leg.results.filter((r) => r.errorCount + r.warningCount > 0);
			for (const result of bad) {
				for (const m of result.messages) {
					process.stdout.write(`${leg.name}: ${relative(leg.cwd, result.filePath)}:${m.line} ${m.severity === 2 ? 'error' : 'warning'} ${m.ruleId ?? ''} ${m.message}\n`);
					problems++;
				}
			}
			process.stdout.write(`scan ${leg.name}: ${files} files linted, ${bad.length} with problems\n`);
		}
		process.stdout.write(`scan: tarball ${tarball}, ${Math.round(sizeOf(unpacked) / 1024)} KiB unpacked; ${problems === 0 ? 'clean' : `${problems} problems`}\n`);
		process.exit(problems === 0 ? 0 : 1);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

main().catch((error) => {
	process.stderr.write(`scan failed: ${error.stack ?? error}\n`);
	process.exit(1);
});
