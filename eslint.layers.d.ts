// Types of eslint.layers.js (plain JavaScript, so ESLint can load it without a compiler).
import type { Linter } from 'eslint';

export declare const CORE_LEVELS: string[][];
export declare const FRONT_ENDS: Record<string, string[]>;
export declare const CORE_FOLDERS: string[];
export declare function allowedFor(folder: string): string[];
export declare function layerRules(): Linter.Config[];
