/**
 * What n8n's editor makes of the node descriptions. When the credentials' `displayOptions.show`
 * name every value of a node parameter between them, the editor takes that parameter for the
 * node's authentication choice and hides it from the node's settings (it is set by picking a
 * credential instead). The browser test saw the trigger's Source vanish that way; this checks
 * every node's description for it without a browser.
 */
import { nodeClasses } from '../engine/packageTypes';

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
