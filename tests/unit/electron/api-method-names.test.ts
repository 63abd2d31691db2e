// The preload's copy of the method names is the API's list, in the same order.

import { expect, it } from 'vitest';
import { API_METHOD_NAMES } from '../../../core/api/index.ts';
import { PRELOAD_METHOD_NAMES } from '../../../electron/api-method-names.ts';

it('the preload knows exactly the API methods', () => {
  expect([...PRELOAD_METHOD_NAMES]).toEqual(API_METHOD_NAMES);
});
