/**
 * `npm run test:editor`: the package in n8n's editor, driven in a real browser (Debian's chromium
 * or Google Chrome, through playwright-core) against the demo's n8n. Logs in; finds all five nodes in the node
 * creator with their icons; runs each demo workflow from the canvas and compares the item count
 * shown there with the sandbox's records; opens a node (Return All hides Limit, the ten Call
 * Center filters, the selected credential); and runs a node whose End Time is before its Start
 * Time, expecting the error to name the field; runs a Limit of 50 and expects the execution hint;
 * drives the trigger's hang-up filter (Call Center Records: Filters → Hang-Up Reasons only); opens the AI Agent example and one of its tools. Screenshots go to `screenshots/` (kept out of git);
 * `--docs` also copies the pictures of the README and docs pages into `docs/`.
 */
import { copyFileSync, existsSync, mkdirSync } from 'fs';
import { join, resolve } from 'path';
import type { Page } from 'playwright-core';
import { chromium } from 'playwright-core';

import { sandboxControl } from '../sandbox/control';
import { DEMO_OWNER, DEMO_SUMMARY_WORKFLOW, DEMO_TRIGGER_WORKFLOW_ID, DEMO_WORKFLOWS, prepareDemo } from './demoInstance';
import { freePort } from './n8nInstance';
import { READ_NODES } from './workflows';

const ROOT = resolve(__dirname, '..', '..');
const SHOTS = join(ROOT, 'screenshots');
/**
 * The browser: CHROMIUM_PATH, else Debian's chromium, else Google Chrome (what GitHub's Ubuntu
 * runners ship; Ubuntu's own chromium is a snap). scripts/install-system-packages.sh installs or finds one.
 */
const BROWSERS = ['/usr/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
const CHROMIUM = process.env.CHROMIUM_PATH ?? BROWSERS.find((path) => existsSync(path));
/** Screenshots the README and the docs pages show. */
const DOCS_PICTURES = ['node-creator.png', 'node-output.png', 'trigger-settings.png', 'summarize-output.png'];
const NODE_NAMES = ['Number Records', 'Call Center Records', 'Voice Records', 'Flash Call CDRs', 'Call Records Trigger'];
const CALL_CENTER_FILTERS = 10;
/** The AI Agent example, opened as a user who imported it would. */
const AGENT_EXAMPLE = { file: join(ROOT, 'examples', 'call-center-assistant-ai-agent.json'), id: 'exCallCenterAgnt', tools: ['Call Center KPIs', 'Call Center Records'] };

type Result = [name: string, ok: boolean, detail: string];
const log = (message: string) => process.stdout.write(`[editor] ${message}\n`);

async function step(results: Result[], name: string, page: Page, check: () => Promise<string>) {
	const started = Date.now();
	try {
		results.push([name, true, await check()]);
	} catch (error) {
		const shot = join(SHOTS, `failed-${results.length}.png`);
		await page.screenshot({ path: shot }).catch(() => undefined);
		results.push([name, false, `${String((error as Error).message).split('\n')[0]} (screenshot: ${shot})`]);
	}
	const [, ok, detail] = results[results.length - 1];
	log(`${ok ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s: ${name}: ${detail}`);
}

async function openWorkflow(page: Page, url: string, id: string) {
	await page.goto(`${url}/workflow/${id}`);
	await page.waitForSelector('.vue-flow__node');
}

/** Opens a node's settings (n8n's node details view) by double-clicking it on the canvas. */
async function openNode(page: Page, name: string) {
	await page.dblclick(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	await page.waitForSelector('[data-test-id="ndv"]');
}

async function main() {
	mkdirSync(SHOTS, { recursive: true });
	if (!CHROMIUM || !existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM ?? BROWSERS.join(', ')}: run scripts/install-system-packages.sh, or set CHROMIUM_PATH`);
	const demo = await prepareDemo();
	demo.n8n.cli(['import:workflow', `--input=${AGENT_EXAMPLE.file}`]);
	const results: Result[] = [];
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
	log(`browser: ${CHROMIUM} ${browser.version()}`);
	try {
		const url = await demo.n8n.start(await freePort());
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.setDefaultTimeout(60_000);
		// Leaving an edited workflow asks "leave without saving?": leave.
		page.on('dialog', (dialog) => void dialog.accept());

		await step(results, 'logs in', page, async () => {
			await page.goto(`${url}/signin`);
			await page.fill('#emailOrLdapLoginId', DEMO_OWNER.email);
			await page.fill('#password', DEMO_OWNER.password);
			await page.click('[data-test-id="form-submit-button"]');
			await page.waitForURL((u) => !u.pathname.includes('signin'));
			return `as ${DEMO_OWNER.email}`;
		});

		await step(results, 'node creator lists the five nodes with icons for "call records"', page, async () => {
			await openWorkflow(page, url, DEMO_WORKFLOWS[0].id);
			await page.click('[data-test-id="node-creator-plus-button"]');
			await page.getByPlaceholder('Search nodes...').fill('call records');
			// The results settle over a moment: wait for the five names (or time out), then judge what is listed.
			const names = page.locator('[data-test-id="node-creator-item-name"]');
			for (const deadline = Date.now() + 15_000; Date.now() < deadline; await page.waitForTimeout(250)) {
				const shown = (await names.allTextContents()).map((text) => text.trim());
				if (NODE_NAMES.every((name) => shown.includes(name))) break;
			}
			await names.first().waitFor();
			const listed = await names.evaluateAll((elements) =>
				elements.map((element) => ({
					name: element.textContent?.trim() ?? '',
					icon: (element.closest('[data-test-id="item-iterator-item"]')?.querySelector('img') as unknown as { naturalWidth: number } | null)?.naturalWidth ?? 0,
				})),
			);
			await page.screenshot({ path: join(SHOTS, 'node-creator.png') });
			const missing = NODE_NAMES.filter((name) => !listed.some((l) => l.name === name));
			const noIcon = listed.filter((l) => NODE_NAMES.includes(l.name) && l.icon === 0).map((l) => l.name);
			if (missing.length > 0) throw new Error(`missing: ${missing.join(', ')} (listed: ${listed.map((l) => l.name).join(', ')})`);
			if (noIcon.length > 0) throw new Error(`icon not shown for ${noIcon.join(', ')}`);
			return `${NODE_NAMES.length} nodes, each with its icon`;
		});

		for (const workflow of DEMO_WORKFLOWS) {
			const nodeName = READ_NODES[workflow.type].displayName;
			await step(results, `"${workflow.name}": Execute workflow shows the sandbox's count`, page, async () => {
				await openWorkflow(page, url, workflow.id);
				await page.click('[data-test-id="execute-workflow-button"]');
				const handle = page.locator(`[data-test-id="canvas-node-output-handle"][data-node-name="${nodeName}"]`);
				await handle.getByText(/\d+ items?/).waitFor();
				const shown = Number(/(\d+) items?/.exec((await handle.textContent()) ?? '')?.[1]);
				const { ids } = await sandboxControl<{ ids: string[] }>(demo.sandbox.url, `records?endpoint=${workflow.endpoint}&from=0&to=${Date.now()}`);
				if (shown !== ids.length) throw new Error(`the canvas shows ${shown} items, the sandbox holds ${ids.length}`);
				return `${shown} items`;
			});
		}

		await step(results, 'node settings: Return All hides Limit, ten Call Center filters, the credential selected', page, async () => {
			await openWorkflow(page, url, 'democallcenterr');
			await page.click('[data-test-id="execute-workflow-button"]');
			await page.locator('[data-test-id="canvas-node-status-success"]').first().waitFor();
			await openNode(page, 'Call Center Records');
			// The output table renders after the panel opens: the picture shows it, not "Loading data".
			await page.getByText('Loading data').first().waitFor({ state: 'detached', timeout: 30_000 }).catch(() => undefined);
			await page.screenshot({ path: join(SHOTS, 'node-output.png') });
			const limit = page.locator('[data-test-id="parameter-input-limit"]');
			if (await limit.isVisible()) throw new Error('Limit shows while Return All is on');
			await page.click('[data-test-id="parameter-input-returnAll"] .el-switch, [data-test-id="parameter-input-returnAll"]');
			await limit.waitFor();
			const credential = await page.locator('[data-test-id="node-credentials-select"] input').inputValue();
			if (credential !== 'Call Records API (sandbox)') throw new Error(`the credential shown is "${credential}"`);
			await page.locator('[data-test-id="collection-parameter-add"]').first().click();
			await page.waitForTimeout(500);
			const filters = await page.locator('[data-test-id="collection-parameter-option"]:visible').allTextContents();
			if (filters.length !== CALL_CENTER_FILTERS) throw new Error(`Add Filter lists ${filters.length}: ${filters.join(', ')}`);
			await page.keyboard.press('Escape');
			return `Limit appears with Return All off; ${filters.length} filters; credential "${credential}"`;
		});

		await step(results, 'Limit: a run of 50 records out of a larger window shows the execution hint', page, async () => {
			// Number Records: a window the API serves whole, so the hint carries the window's full count.
			await openWorkflow(page, url, 'demonumberrecor');
			await openNode(page, 'Number Records');
			await page.click('[data-test-id="parameter-input-returnAll"] .el-switch, [data-test-id="parameter-input-returnAll"]');
			await page.locator('[data-test-id="parameter-input-limit"]').waitFor();
			await page.click('[data-test-id="node-execute-button"]');
			const { ids } = await sandboxControl<{ ids: string[] }>(demo.sandbox.url, `records?endpoint=numberRecords&from=0&to=${Date.now()}`);
			const want = `50 of ${ids.length.toLocaleString('en-US')} records returned (Limit)`;
			const hint = page.locator('[data-test-id="ndv"]').getByText(want).first();
			await hint.waitFor();
			await page.screenshot({ path: join(SHOTS, 'limit-hint.png') });
			return `shows "${((await hint.textContent()) ?? '').trim()}"`;
		});

		await step(results, 'End Time before Start Time: the editor shows an error naming the field', page, async () => {
			await openWorkflow(page, url, 'demonumberrecor');
			await openNode(page, 'Number Records');
			const endTime = page.locator('[data-test-id="parameter-input-endTime"] .cm-content');
			await endTime.click();
			await page.keyboard.press('ControlOrMeta+a');
			await page.keyboard.press('Backspace');
			await page.keyboard.insertText('{{ $now.minus({ days: 30 }).toISO() }}');
			// Leave the editor so the new value is committed before the run.
			await page.click('[data-test-id="node-title-container"]');
			await page.waitForTimeout(500);
			await page.click('[data-test-id="node-execute-button"]');
			const error = page.locator('[data-test-id="ndv"]').getByText('End Time must be after Start Time').first();
			await error.waitFor();
			await page.screenshot({ path: join(SHOTS, 'end-time-error.png') });
			return `shows "${((await error.textContent()) ?? '').trim().slice(0, 120)}"`;
		});

		await step(results, 'Summarize: Call Center Records by hang-up reason shows a group per reason and the totals', page, async () => {
			await openWorkflow(page, url, DEMO_SUMMARY_WORKFLOW.id);
			await page.click('[data-test-id="execute-workflow-button"]');
			const handle = page.locator('[data-test-id="canvas-node-output-handle"][data-node-name="Call Center Records"]');
			await handle.getByText(/\d+ items?/).waitFor();
			const shown = Number(/(\d+) items?/.exec((await handle.textContent()) ?? '')?.[1]);
			// The sandbox's call-center records carry all ten hang-up reasons: ten groups and the totals.
			if (shown !== 11) throw new Error(`the canvas shows ${shown} items, expected 10 groups and the totals`);
			await openNode(page, 'Call Center Records');
			await page.getByText('Called party is busy').first().waitFor();
			await page.screenshot({ path: join(SHOTS, 'summarize-output.png') });
			return `${shown} items: ten hang-up reasons with their labels, and the totals`;
		});

		await step(results, 'the AI Agent example: the agent with its two tools; a tool shows its Description and Max Response Size', page, async () => {
			await openWorkflow(page, url, AGENT_EXAMPLE.id);
			const onCanvas = await page.locator('[data-test-id="canvas-node"]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-node-name') ?? ''));
			const missing = ['Call-center assistant', ...AGENT_EXAMPLE.tools].filter((name) => !onCanvas.includes(name));
			if (missing.length > 0) throw new Error(`not on the canvas: ${missing.join(', ')} (shown: ${onCanvas.join(', ')})`);
			await openNode(page, 'Call Center KPIs');
			await page.locator('[data-test-id="parameter-input-toolDescription"]').waitFor();
			await page.locator('[data-test-id="parameter-input-maxAnswerCharacters"]').waitFor();
			await page.screenshot({ path: join(SHOTS, 'ai-agent-tool.png') });
			await page.keyboard.press('Escape');
			return `${onCanvas.length} nodes; the Summarize tool shows its tool-only Description and Max Response Size`;
		});

		await step(results, "the trigger's settings: its subtitle in words, Call Center Records' one hang-up filter (Filters → Hang-Up Reasons) picked from the documented reasons", page, async () => {
			await openWorkflow(page, url, DEMO_TRIGGER_WORKFLOW_ID);
			const canvasText = (await page.locator('[data-test-id="canvas-node"][data-node-name="Call Records Trigger"]').textContent()) ?? '';
			if (!canvasText.includes('New call center records')) throw new Error(`the canvas node reads "${canvasText.trim()}"`);
			await openNode(page, 'Call Records Trigger');
			const source = await page.locator('[data-test-id="parameter-input-source"] input').inputValue();
			if (source !== 'Call Center Records') throw new Error(`Source shows "${source}"`);
			const reasons = page.locator('[data-test-id="parameter-input-hangupReasons"]');
			await reasons.getByText('Called party is busy (7)').waitFor();
			await reasons.click();
			await page.locator('.el-select-dropdown__item:visible', { hasText: 'Call failed (4)' }).click();
			await reasons.getByText('Call failed (4)').waitFor();
			await page.keyboard.press('Escape');
			await page.locator('[data-test-id="collection-parameter-add"]').last().click();
			await page.waitForTimeout(500);
			const options = (await page.locator('[data-test-id="collection-parameter-option"]:visible').allTextContents()).map((text) => text.trim());
			if (options.length === 0) throw new Error('Add option lists nothing');
			if (options.includes('Only Hang-Up Reasons')) throw new Error(`Add option offers Only Hang-Up Reasons for Call Center Records: ${options.join(', ')}`);
			// Closed again by its own button, so the picture shows the settings.
			await page.locator('[data-test-id="collection-parameter-add"]').last().click();
			await page.waitForTimeout(500);
			await page.screenshot({ path: join(SHOTS, 'trigger-settings.png') });
			return `Source "${source}", subtitle "New call center records", Hang-Up Reasons took "Call failed (4)"; Add option lists ${options.length} options, no second hang-up filter`;
		});
	} finally {
		await browser.close();
		await demo.stop();
	}

	for (const [name, ok, detail] of results) process.stdout.write(`${ok ? '✓' : '✗'} ${name}: ${detail}\n`);
	const failed = results.filter(([, ok]) => !ok).length;
	process.stdout.write(`editor: ${results.length - failed} passed, ${failed} failed\n`);
	if (failed === 0 && process.argv.includes('--docs')) {
		mkdirSync(join(ROOT, 'docs'), { recursive: true });
		for (const picture of DOCS_PICTURES) copyFileSync(join(SHOTS, picture), join(ROOT, 'docs', picture));
		log(`copied ${DOCS_PICTURES.join(', ')} into docs/`);
	}
	process.exit(failed === 0 && results.length > 0 ? 0 : 1);
}

main().catch((error) => {
	process.stderr.write(`editor test failed: ${error.stack ?? error}\n`);
	process.exit(1);
});
