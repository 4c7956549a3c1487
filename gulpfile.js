// Copies the node and credential icons, and the nodes' codex files (categories, documentation
// links), next to the compiled files, where n8n looks for them.
const { src, dest, task } = require('gulp');

task('build:icons', () =>
	src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}', 'nodes/**/*.node.json'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	),
);
