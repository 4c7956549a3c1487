// The package's entry for tools that import it; n8n itself loads the files listed in package.json.
export { CallRecordsApi } from './credentials/CallRecordsApi.credentials';
export { NumberRecords } from './nodes/NumberRecords/NumberRecords.node';
export { CallCenterRecords } from './nodes/CallCenterRecords/CallCenterRecords.node';
export { VoiceRecords } from './nodes/VoiceRecords/VoiceRecords.node';
export { FlashCallCdrs } from './nodes/FlashCallCdrs/FlashCallCdrs.node';
export { NxCloudApi } from './credentials/NxCloudApi.credentials';
export { CallRecordsTrigger } from './nodes/CallRecordsTrigger/CallRecordsTrigger.node';
