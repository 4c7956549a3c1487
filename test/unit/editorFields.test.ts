/**
 * What n8n's editor makes of the node descriptions. When the credentials' `displayOptions.show`
 * name every value of a node parameter between them, the editor takes that parameter for the
 * node's authentication choice and hides it from the node's settings (it is set by picking a
 * credential instead). The browser test saw the trigger's Source vanish that way; this checks
 * every node's description for it without a browser.
 */
import { readdirSync, readFileSync } from 'fs';
import type { INode, INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import { join } from 'path';

import { PackageNodeTypes } from '../engine/harness';
import { PACKAGE_NAME, credentialClasses, nodeClasses } from '../engine/packageTypes';

describe('node settings the editor shows', () => {
	test.each(Object.entries(nodeClasses))('%s: no parameter is taken for the authentication choice', (_, node) => {
		const { credentials = [], properties } = node.description;
		const shownFor: Record<string, string[]> = {};
		for (const credential of credentials) {
			for (const [field, values] of Object.entries(credential.displayOptions?.show ?? {})) {
				shownFor[field] = [...(shownFor[field] ?? []), ...(values ?? []).map(String)];
			}
		}
		const takenForAuthentication = properties
			.filter((p) => p.name in shownFor && p.options?.every((option) => 'value' in option && shownFor[p.name].includes(String(option.value))))
			.map((p) => p.displayName);
		expect(takenForAuthentication).toEqual([]);
	});
});

/**
 * Issue #35 part 2: fields that could give wrong or no results without a word. Visibility is
 * checked with n8n-workflow's own getNodeParameters, which is what the editor and the engine use
 * to drop parameters a field's displayOptions hide.
 */
const trigger = nodeClasses.callRecordsTrigger.description;
const node = (type: string, typeVersion: number, parameters: Record<string, unknown>): INode => ({
	id: 'n',
	name: 'N',
	type: `${PACKAGE_NAME}.${type}`,
	typeVersion,
	position: [0, 0],
	parameters: parameters as INode['parameters'],
});

/** The parameters n8n keeps of a node (defaults filled in, hidden ones dropped), as the engine does. */
function kept(type: string, typeVersion: number, parameters: Record<string, unknown>, withDefaults = false) {
	const description = new PackageNodeTypes().getByName(type).description;
	return NodeHelpers.getNodeParameters(description.properties, parameters as never, withDefaults, false, node(type, typeVersion, parameters), description) as Record<string, any>;
}

/** Every field of a description, collections' options included. */
function allFields(properties: Array<INodeProperties | { displayName?: string; values?: INodeProperties[] }>): INodeProperties[] {
	return properties.flatMap((p) => {
		const nested = ('options' in p && Array.isArray(p.options) ? p.options : []).filter((o) => typeof o === 'object' && o !== null && ('type' in o || 'values' in o));
		const values = 'values' in p && Array.isArray(p.values) ? p.values : [];
		return [p as INodeProperties, ...allFields([...(nested as INodeProperties[]), ...values])];
	});
}

/** The texts a user reads: labels, descriptions, placeholders, hints, option names and descriptions. */
function textsOf(properties: INodeProperties[]): string[] {
	return allFields(properties).flatMap((p) => [
		p.displayName,
		p.description,
		typeof p.placeholder === 'string' ? p.placeholder : undefined,
		p.hint,
		...((p.options ?? []) as Array<{ name?: string; description?: string; type?: string }>).filter((o) => !('type' in o)).flatMap((o) => [o.name, o.description]),
	]).filter((t): t is string => typeof t === 'string');
}

const everyDescription: Array<[string, INodeProperties[]]> = [
	...Object.entries(nodeClasses).map(([name, type]) => [name, type.description.properties] as [string, INodeProperties[]]),
	...Object.entries(credentialClasses).map(([name, type]) => [name, type.properties] as [string, INodeProperties[]]),
];

describe('issue #35: fields that cannot silently give wrong or no results', () => {
	test('one hang-up filter per source: Call Center Records (version 1.1) has only Filters → Hang-Up Reasons; the free-text sources have Only Hang-Up Reasons with a placeholder', () => {
		expect(trigger.version).toEqual(expect.arrayContaining([1, 1.1]));
		expect(trigger.defaultVersion).toBe(1.1);
		const callCenter = kept('callRecordsTrigger', 1.1, { source: 'callCenterRecords', filters: { hangupReasons: [7] }, options: { onlyHangupReasons: 'busy' } });
		expect(callCenter.filters).toEqual({ hangupReasons: [7] });
		expect(callCenter.options).toEqual({});
		for (const source of ['numberRecords', 'voiceRecords']) {
			expect(kept('callRecordsTrigger', 1.1, { source, options: { onlyHangupReasons: 'busy' } }).options).toEqual({ onlyHangupReasons: 'busy' });
		}
		const reasonFields = allFields(trigger.properties).filter((p) => p.name === 'onlyHangupReasons');
		const voice = reasonFields.find((p) => JSON.stringify(p.displayOptions).includes('voiceRecords'));
		// The voice document's sample: "terminationReason": "success".
		expect(voice?.placeholder).toBe('success');
		// A workflow saved at version 1 keeps its value (hidden, n8n would drop it and emit every record).
		expect(kept('callRecordsTrigger', 1, { source: 'callCenterRecords', options: { onlyHangupReasons: 'busy' } }).options).toEqual({ onlyHangupReasons: 'busy' });
	});

	test('Agent Group ID sends nothing until set: its default is empty', () => {
		const filters = allFields(nodeClasses.callCenterRecords.description.properties).find((p) => p.name === 'filters');
		const group = (filters?.options as INodeProperties[]).find((o) => o.name === 'voiceGroupId');
		expect(group?.default).toBe('');
	});

	test('End Time says the window includes it', () => {
		for (const name of ['numberRecords', 'callCenterRecords', 'voiceRecords', 'flashCallCdrs']) {
			const end = nodeClasses[name].description.properties.find((p) => p.name === 'endTime');
			expect(end?.description).toMatch(/includ/i);
		}
	});

	test('the trigger\'s subtitle names the source in words', () => {
		const names: Record<string, string> = {
			numberRecords: 'New number records',
			callCenterRecords: 'New call center records',
			voiceRecords: 'New voice records',
			flashCallCdrs: 'New flash call CDRs',
		};
		for (const [source, want] of Object.entries(names)) {
			const workflow = new Workflow({ nodes: [node('callRecordsTrigger', 1.1, { source })], connections: {}, active: false, nodeTypes: new PackageNodeTypes() });
			const subtitle = workflow.expression.getSimpleParameterValue(workflow.getNode('N')!, trigger.subtitle!, 'internal', {});
			expect(subtitle).toBe(want);
		}
	});

	test.each([
		['numberRecords', 1, {}],
		['callCenterRecords', 1, {}],
		['callRecordsTrigger', 1.1, { source: 'numberRecords' }],
	])('%s: the recording sub-options show only with Download Recordings on', (type, version, base) => {
		const sub = { binaryPropertyName: 'audio', onMissingRecording: 'continue', maxRecordingSizeMb: 5, maxDownloadSeconds: 30 };
		const getMany = type === 'callRecordsTrigger' ? {} : { operation: 'getMany' };
		expect(kept(type, version, { ...base, ...getMany, options: { downloadRecordings: false, ...sub } }).options).toEqual({ downloadRecordings: false });
		expect(kept(type, version, { ...base, ...getMany, options: { downloadRecordings: true, ...sub } }).options).toEqual({ downloadRecordings: true, ...sub });
		expect(textsOf(nodeClasses[type].description.properties).filter((t) => t.startsWith('With Download Recordings'))).toEqual([]);
	});

	test('notices: Voice Records reads the last two months only; a first activation of the trigger starts from now unless Backfill From is set', () => {
		const notices = (d: INodeTypeDescription) => d.properties.filter((p) => p.type === 'notice').map((p) => p.displayName);
		expect(notices(nodeClasses.voiceRecords.description).join(' ')).toMatch(/two months/);
		expect(notices(trigger).join(' ')).toMatch(/first activat.*from now.*Backfill From/is);
	});

	test('Account Time Zone and API Time Zone are picked from the IANA zones and say where to find the account\'s zone', () => {
		for (const credential of Object.values(credentialClasses)) {
			const zone = credential.properties.find((p) => p.name === 'timeZone')!;
			expect(zone.type).toBe('options');
			const values = (zone.options as Array<{ value: string }>).map((o) => o.value);
			expect(values).toEqual(expect.arrayContaining(['UTC', 'Asia/Shanghai', 'Europe/Paris', 'America/Sao_Paulo']));
			expect(values).toContain(zone.default);
			// The current names, also where Intl lists a former one (Asia/Calcutta), each once.
			expect(values).toEqual(expect.arrayContaining(['Asia/Kolkata', 'Asia/Kathmandu', 'Asia/Ho_Chi_Minh', 'Europe/Kyiv']));
			expect(new Set(values).size).toBe(values.length);
		}
		expect(credentialClasses.callRecordsApi.properties.find((p) => p.name === 'timeZone')?.description).toMatch(/console/i);
	});

	test('the NXCloud Base URL says what http:// exposes', () => {
		const baseUrl = credentialClasses.nxCloudApi.properties.find((p) => p.name === 'baseUrl');
		expect(baseUrl?.description).toMatch(/http:\/\/.*(clear|unencrypted).*secret|secret.*http:\/\/.*(clear|unencrypted)/is);
	});

	test('node search finds the brands, and the credential names them', () => {
		const codex = (folder: string, file: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'nodes', folder, `${file}.codex.json`), 'utf8')).alias as string[];
		for (const [folder, file] of [['NumberRecords', 'NumberRecords'], ['CallCenterRecords', 'CallCenterRecords'], ['VoiceRecords', 'VoiceRecords']]) {
			expect(codex(folder, file)).toEqual(expect.arrayContaining(['ITNIO', 'Laaffic', 'Onbuka']));
		}
		expect(codex('FlashCallCdrs', 'FlashCallCdrs')).toContain('NXCloud');
		expect(codex('CallRecordsTrigger', 'CallRecordsTrigger')).toEqual(expect.arrayContaining(['ITNIO', 'Laaffic', 'Onbuka', 'NXCloud']));
		expect(credentialClasses.callRecordsApi.displayName).toMatch(/ITNIO.*Laaffic.*Onbuka/);
	});

	test.each(everyDescription)('%s: the texts say "response" for HTTP ("answer" is a picked-up call), "Add option", and no description runs past 45 words', (_, properties) => {
		const texts = textsOf(properties);
		expect(texts.filter((t) => /\banswers?\b/i.test(t.replace(/Answer Time/g, '')))).toEqual([]);
		expect(texts.filter((t) => /^Add [A-Z]/.test(t))).toEqual([]);
		expect(allFields(properties).filter((p) => typeof p.placeholder === 'string' && /^Add [A-Z]/.test(p.placeholder)).map((p) => p.placeholder)).toEqual([]);
		expect(allFields(properties).filter((p) => (p.description ?? '').split(/\s+/).length > 45).map((p) => p.displayName)).toEqual([]);
		expect(texts.filter((t) => /Clamp Start/.test(t))).toEqual([]);
	});

	test('the SIP code a call ended with has one name in every node', () => {
		for (const name of ['numberRecords', 'callCenterRecords', 'voiceRecords']) {
			const groupBy = allFields(nodeClasses[name].description.properties).find((p) => p.name === 'groupBy')!;
			const options = (groupBy.options as Array<{ name: string }>).map((o) => o.name);
			expect(options).toContain('SIP Code');
			expect(options).not.toContain('Termination Code');
		}
	});
});

describe('the examples as n8n loads them', () => {
	const dir = join(__dirname, '..', '..', 'examples');
	const packageNodes: Array<readonly [string, INode]> = readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.flatMap((file) =>
			(JSON.parse(readFileSync(join(dir, file), 'utf8')).nodes as INode[]).filter((n) => n.type.startsWith(`${PACKAGE_NAME}.`)).map((n) => [`${file}: ${n.name}`, n] as const),
		);

	test.each(packageNodes)('%s keeps every parameter it sets (none hidden at its version)', (_, example) => {
		const type = example.type.slice(PACKAGE_NAME.length + 1);
		const keptParameters = kept(type, example.typeVersion, example.parameters, true);
		// Poll Times is the field n8n adds to every polling trigger when it loads the type.
		for (const [name, value] of Object.entries(example.parameters).filter(([key]) => key !== 'pollTimes')) {
			if (value && typeof value === 'object' && !Array.isArray(value)) expect(keptParameters[name]).toMatchObject(value as object);
			else expect(keptParameters[name]).toEqual(value);
		}
	});

	test('the trigger examples use the current version', () => {
		const triggers = packageNodes.filter(([, n]) => n.type.endsWith('.callRecordsTrigger'));
		expect(triggers.length).toBeGreaterThan(0);
		for (const [, trigger] of triggers) expect(trigger.typeVersion).toBe(nodeClasses.callRecordsTrigger.description.defaultVersion);
	});
});
