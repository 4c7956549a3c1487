// Copies the node and credential icons next to the compiled files, where n8n looks for them, and
// each node's codex file (categories, documentation links) as <Node>.node.json beside its
// <Node>.node.js. In the source tree the codex files are <Node>.codex.json: a <Node>.node.json
// there would be what an extensionless import of './<Node>.node' resolves to.
//
// Modules under nodes/**/bundled/ re-export a library (a devDependency) and are bundled with it
// in place of tsc's output, so the package has no runtime dependency (n8n Cloud accepts none).
// console calls are dropped: n8n's scanner rejects any, and date-fns only warns through them
// about format tokens this package never uses.
const { copyFileSync, mkdirSync, readdirSync } = require('fs');
const { join } = require('path');
const { build } = require('esbuild');
const { src, dest, task, parallel } = require('gulp');

function icons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(dest('dist'));
}

async function codex() {
	for (const dir of readdirSync('nodes', { withFileTypes: true }).filter((d) => d.isDirectory())) {
		for (const file of readdirSync(join('nodes', dir.name)).filter((f) => f.endsWith('.codex.json'))) {
			mkdirSync(join('dist', 'nodes', dir.name), { recursive: true });
			copyFileSync(join('nodes', dir.name, file), join('dist', 'nodes', dir.name, file.replace(/\.codex\.json$/, '.node.json')));
		}
	}
}

async function bundled() {
	const dirs = ['nodes/transport/bundled'];
	for (const dir of dirs) {
		for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
			await build({
				entryPoints: [join(dir, file)],
				outfile: join('dist', dir, file.replace(/\.ts$/, '.js')),
				bundle: true,
				platform: 'node',
				format: 'cjs',
				target: 'node20',
				drop: ['console'],
				legalComments: 'inline',
				logLevel: 'warning',
			});
		}
	}
}

task('build:assets', parallel(icons, codex, bundled));
