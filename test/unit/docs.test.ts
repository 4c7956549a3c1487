/**
 * The user docs' shape: a README a user reads first (short, linking every docs page), links that
 * resolve, and editor Docs buttons that open the page of their node or credential.
 */
import { existsSync, readFileSync, readdirSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';

const ROOT = resolve(__dirname, '../..');
const README = join(ROOT, 'README.md');
const DOCS = join(ROOT, 'docs');
const README_MAX_LINES = 250;

const read = (path: string) => readFileSync(path, 'utf8');
const docsPages = () => readdirSync(DOCS).filter((name) => name.endsWith('.md'));
const markdownFiles = () => [README, join(ROOT, 'CONTRIBUTING.md'), ...docsPages().map((name) => join(DOCS, name))];

/** Markdown outside fenced code blocks: a link inside one is an example, not a link. */
function prose(markdown: string): string {
	return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

/** Every link and image target of a Markdown text: `[text](target)` and `![alt](target)`. */
function linkTargets(markdown: string): string[] {
	return [...prose(markdown).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function headingAnchor(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
	return new Set([...prose(markdown).matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => headingAnchor(match[1])));
}

/** Why a relative target from `file` does not resolve, or undefined when it does. */
function brokenTarget(file: string, target: string): string | undefined {
	const [path, anchor] = target.split('#');
	const full = path === '' ? file : resolve(dirname(file), decodeURI(path));
	if (!existsSync(full)) return `${target}: no such file`;
	if (anchor !== undefined && full.endsWith('.md') && !anchorsOf(read(full)).has(anchor)) return `${target}: no heading #${anchor}`;
	return undefined;
}

const isRelative = (target: string) => !/^[a-z][a-z0-9+.-]*:/i.test(target);

describe('the README and the docs pages', () => {
	test(`the README is at most ${README_MAX_LINES} lines`, () => {
		const lines = read(README).split('\n').length;
		expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
	});

	test('the README keeps the two quick-start commands', () => {
		const readme = read(README);
		expect(readme).toContain('npm ci && npm run demo');
		expect(readme).toMatch(/^npm test\b/m);
	});

	test('every relative link and image in the README, CONTRIBUTING.md and docs/ resolves', () => {
		const broken = markdownFiles().flatMap((file) =>
			linkTargets(read(file))
				.filter(isRelative)
				.map((target) => brokenTarget(file, target))
				.filter((why): why is string => why !== undefined)
				.map((why) => `${relative(ROOT, file)}: ${why}`),
		);
		expect(broken).toEqual([]);
	});

	test('every docs page is linked from the README', () => {
		const linked = new Set(linkTargets(read(README)).map((target) => target.split('#')[0]));
		const unlinked = docsPages().filter((name) => !linked.has(`docs/${name}`));
		expect(docsPages().length).toBeGreaterThan(0);
		expect(unlinked).toEqual([]);
	});

	test('the link checks catch a missing file, a missing heading and an unlinked page', () => {
		expect(linkTargets('see [x](docs/a.md#b), ![i](p.png) and `[c](d)`\n```\n[e](f)\n```')).toEqual(['docs/a.md#b', 'p.png', 'd']);
		expect(brokenTarget(README, 'docs/no-such-page.md')).toMatch(/no such file/);
		expect(brokenTarget(README, 'docs/trigger.md#no-such-heading')).toMatch(/no heading/);
		expect(brokenTarget(README, 'docs/trigger.md')).toBeUndefined();
		expect(headingAnchor('Exactly once in production: the design and its bounds')).toBe('exactly-once-in-production-the-design-and-its-bounds');
		expect(headingAnchor('Flash Call CDRs (NXCloud)')).toBe('flash-call-cdrs-nxcloud');
	});
});

describe("the editor's Docs buttons", () => {
	const repository = (JSON.parse(read(join(ROOT, 'package.json'))) as { repository: { url: string } }).repository.url
		.replace(/^git\+/, '')
		.replace(/\.git$/, '');
	const docsBase = `${repository}/blob/main/`;

	/** The page (and heading) a Docs URL opens, checked to exist in this checkout. */
	const pageOf = (url: string) => {
		expect(url.startsWith(docsBase)).toBe(true);
		const target = url.slice(docsBase.length);
		expect(brokenTarget(join(ROOT, 'README.md'), target)).toBeUndefined();
		return target;
	};

	test('each node opens its own page or section', () => {
		const nodes = readdirSync(join(ROOT, 'nodes')).filter((name) => existsSync(join(ROOT, 'nodes', name, `${name}.codex.json`)));
		const targets = nodes.map((name) => {
			const codex = JSON.parse(read(join(ROOT, 'nodes', name, `${name}.codex.json`))) as { resources: { primaryDocumentation: Array<{ url: string }> } };
			return pageOf(codex.resources.primaryDocumentation[0].url);
		});
		expect(nodes.length).toBe(5);
		expect(targets.every((target) => target.startsWith('docs/'))).toBe(true);
		expect(new Set(targets).size).toBe(nodes.length);
	});

	test('each credential opens its own section', () => {
		const files = readdirSync(join(ROOT, 'credentials')).filter((name) => name.endsWith('.credentials.ts'));
		const targets = files.map((name) => {
			const url = /documentationUrl\s*=\s*'([^']+)'/.exec(read(join(ROOT, 'credentials', name)))?.[1];
			expect(url).toBeDefined();
			return pageOf(url as string);
		});
		expect(targets.every((target) => target.includes('#'))).toBe(true);
		expect(new Set(targets).size).toBe(files.length);
	});
});
