/** Shared test setup: a sandbox with a known data set and credentials that point at it. */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { Sandbox, SandboxOptions } from '../sandbox/server';
import { DEMO_ACCOUNT, startSandbox } from '../sandbox/server';

export const ACCOUNT_TIME_ZONE = 'Asia/Shanghai';

/**
 * The sandbox's storage host and https mirror listen on 127.0.0.1 on ports of their own, which
 * the recording address rules refuse by default: tests that download from them allow them as
 * self-hosted storage is allowed. (recordingHosts.test.ts proves the refusal.)
 */
export const SANDBOX_RECORDING_HOSTS = { allowPrivateRecordingHosts: true };

export function platformCredentials(sandbox: Sandbox, overrides: ICredentialDataDecryptedObject = {}) {
	return {
		callRecordsApi: {
			platform: 'custom',
			baseUrl: sandbox.url,
			pathStyle: 'legacy',
			apiKey: DEMO_ACCOUNT.apiKey,
			apiSecret: DEMO_ACCOUNT.apiSecret,
			timeZone: ACCOUNT_TIME_ZONE,
			...overrides,
		},
	};
}

export async function numberRecordsSandbox(count: number, extra: SandboxOptions = {}): Promise<Sandbox> {
	return await startSandbox({
		seed: 7,
		timeZone: ACCOUNT_TIME_ZONE,
		numberRecords: { count, from: '2024-03-01T00:00:00Z', to: '2024-03-08T00:00:00Z' },
		...extra,
	});
}
