import { useSyncExternalStore } from "react";

const never = () => () => {};

/** False in the server's HTML and until React has hydrated the page, then true: a button whose only action is a click handler stays disabled until the handler is there. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}
