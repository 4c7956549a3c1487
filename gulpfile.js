// Copies the node and credential icons next to the compiled files, where n8n looks for them, and
// each node's codex file (categories, documentation links) as <Node>.node.json beside its
// <Node>.node.js. In the source tree the codex files are <Node>.codex.json: a <Node>.node.json
// there would be what an extensionless import of './<Node>.node' resolves to.
const { copyFileSync, mkdirSync, readdirSync } = require('fs');
const { join } = require('path');
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

task('build:assets', parallel(icons, codex));
