// The model library: checkpoints in a workspace folder, embedded models, and hub downloads.

export { ModelLibraryError, isModelLibraryError, type ModelLibraryErrorCode } from './errors.ts';
export {
  ModelLibrary,
  MODELS_FOLDER,
  checkModelName,
  defaultModelLibraryDir,
  embeddedModelsDir,
  isValidModelName,
  modelNameFrom,
  type AddModelOptions,
  type ModelEntry,
  type ModelLibraryOptions,
  type ModelSource,
} from './model-library.ts';
export { inspectCheckpoint, readJsonFile, type CheckpointInfo } from './checkpoint.ts';
export { estimateParameters, countSafetensorsParameters, readSafetensorsHeader } from './parameters.ts';
export { MANIFEST_FILE, readManifest, type ManifestFile, type ModelManifest } from './manifest.ts';
export { DEFAULT_ALLOW_PATTERNS, matchesAny } from './file-patterns.ts';
export type { TransferProgress } from './copy-files.ts';
export { DEFAULT_HUB_ENDPOINT, hubSettings, pullModel, type PullEvent, type PullOptions, type PullProgress, type PullResult } from './hub-pull.ts';
