// A value that follows another once it has stopped changing for `ms`: the Traces view moves its
// list selection at key-repeat speed but loads the trace only for where the selection comes to rest.
import { useEffect, useState } from 'react';

export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    // Each change restarts the wait; an unmount or a newer value cancels the pending update.
    const timer = setTimeout(() => setSettled(() => value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
