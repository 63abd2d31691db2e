// Calls a model and returns its answer together with how the call was served (the CallInfo the
// model reported), in one object for assertions.

import type { CallInfo, ChatRequest, ChatResponse, GenerateOptions, LanguageModel } from '../../core/lm/language-model.ts';

export type Served = ChatResponse & Partial<CallInfo>;

export async function served(lm: LanguageModel, request: ChatRequest, options: GenerateOptions = {}): Promise<Served> {
  let info: CallInfo | undefined;
  const response = await lm.generate(request, {
    ...options,
    onCallInfo: (reported) => {
      info = reported;
      options.onCallInfo?.(reported);
    },
  });
  return { ...response, ...info };
}
