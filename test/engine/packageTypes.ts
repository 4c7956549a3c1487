/** The package's node and credential types, keyed as n8n keys a community package's types. */
import type { ICredentialType, INodeType } from 'n8n-workflow';

import { CallRecordsApi } from '../../credentials/CallRecordsApi.credentials';
import { NxCloudApi } from '../../credentials/NxCloudApi.credentials';
import { CallRecordsTrigger } from '../../nodes/CallRecordsTrigger/CallRecordsTrigger.node';
import { FlashCallCdrs } from '../../nodes/FlashCallCdrs/FlashCallCdrs.node';
import { CallCenterRecords } from '../../nodes/CallCenterRecords/CallCenterRecords.node';
import { NumberRecords } from '../../nodes/NumberRecords/NumberRecords.node';
import { VoiceRecords } from '../../nodes/VoiceRecords/VoiceRecords.node';
import packageJson from '../../package.json';

export const PACKAGE_NAME = packageJson.name;

export const nodeClasses: Record<string, INodeType> = {
	numberRecords: new NumberRecords(),
	callCenterRecords: new CallCenterRecords(),
	voiceRecords: new VoiceRecords(),
	flashCallCdrs: new FlashCallCdrs(),
	callRecordsTrigger: new CallRecordsTrigger(),
};

export const credentialClasses: Record<string, ICredentialType> = {
	callRecordsApi: new CallRecordsApi(),
	nxCloudApi: new NxCloudApi(),
};
