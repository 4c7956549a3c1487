/**
 * The ITNIO Tech platform is sold under several brands that share one API and one signature.
 * They differ in base URL and in whether the number-records path carries a `/v3` prefix;
 * this table is the one place those differences live.
 */

export type PlatformId = 'itnio' | 'laaffic' | 'custom';

/** `legacy`: ITNIO Tech's paths; `v3`: Laaffic's (and Onbuka's) `/v3`-prefixed number path. */
export type PathStyle = 'legacy' | 'v3';

export type PlatformEndpoint = 'numberRecords' | 'callCenterRecords' | 'voiceRecords';

export const PLATFORMS: Record<Exclude<PlatformId, 'custom'>, { name: string; baseUrl: string; pathStyle: PathStyle }> = {
	itnio: { name: 'ITNIO Tech', baseUrl: 'https://api.itniotech.com', pathStyle: 'legacy' },
	laaffic: { name: 'Laaffic', baseUrl: 'https://api.laaffic.com', pathStyle: 'v3' },
};

export const ENDPOINT_PATHS: Record<PathStyle, Record<PlatformEndpoint, string>> = {
	legacy: {
		numberRecords: '/number/record/queryPage',
		callCenterRecords: '/v3/cc/record/query',
		voiceRecords: '/voice/recordGroupQuery',
	},
	v3: {
		numberRecords: '/v3/number/record/queryPage',
		callCenterRecords: '/v3/cc/record/query',
		voiceRecords: '/voice/recordGroupQuery',
	},
};

/** Expression (for the credential test) that picks the base URL from the table above. */
export function baseUrlExpression(): string {
	const urls = Object.fromEntries(Object.entries(PLATFORMS).map(([id, p]) => [id, p.baseUrl]));
	return `={{ (${JSON.stringify(urls)})[$credentials.platform] || $credentials.baseUrl }}`;
}

/** Expression (for the credential test) that picks the number-records path from the table above. */
export function numberRecordsPathExpression(): string {
	const styles = Object.fromEntries(Object.entries(PLATFORMS).map(([id, p]) => [id, p.pathStyle]));
	const paths = { legacy: ENDPOINT_PATHS.legacy.numberRecords, v3: ENDPOINT_PATHS.v3.numberRecords };
	return `={{ (${JSON.stringify(paths)})[(${JSON.stringify(styles)})[$credentials.platform] || $credentials.pathStyle] }}`;
}
