// Live validation of the definition text: previewTaskDefinition runs once the text has been still
// for a moment, and only the answer for the latest text is kept (an older one arriving late is
// dropped), so the issues and preview always belong to what is on screen.
import { useEffect, useRef, useState } from 'react';
import { getClient } from '../../api/client.ts';
import type { TaskDefinitionCheck } from '../../api/types.ts';

export const CHECK_DELAY_MS = 400;

export interface DefinitionCheckState {
  /** The answer for `text`, or null while it is being checked. */
  check: TaskDefinitionCheck | null;
  /** The text `check` is about. */
  checkedText: string | null;
  checking: boolean;
  /** The call itself failed (the backend is down), not the definition. */
  error: string | null;
}

export function useDefinitionCheck(text: string): DefinitionCheckState {
  const [state, setState] = useState<DefinitionCheckState>({ check: null, checkedText: null, checking: false, error: null });
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, checking: true }));
    const timer = setTimeout(() => {
      getClient()
        .previewTaskDefinition({ text, format: 'yaml' })
        .then(
          (check) => {
            if (mine === generation.current) setState({ check, checkedText: text, checking: false, error: null });
          },
          (error: unknown) => {
            if (mine === generation.current) setState({ check: null, checkedText: text, checking: false, error: error instanceof Error ? error.message : String(error) });
          },
        );
    }, CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);
  return state;
}
