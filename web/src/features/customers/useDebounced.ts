// A value that follows another once it has stopped changing: search as you type and the domain check ask the
// API after a pause in typing, not on every key.
import { useEffect, useState } from 'react';

/** `value`, once it has stayed the same for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
