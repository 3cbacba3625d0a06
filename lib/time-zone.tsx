"use client";

// The merchant's time zone (the rules' `timeZone`) for client components: the root layout reads it once a request
// (app/_lib/time-zone.ts) and provides it, so the server's HTML and the browser format every date on the same clock.
import { createContext, useContext } from "react";
import { MERCHANT_TIME_ZONE } from "./format-date";

const TimeZoneContext = createContext<string | null>(null);

export function TimeZoneProvider({ timeZone, children }: { timeZone: string; children: React.ReactNode }) {
  return <TimeZoneContext.Provider value={timeZone}>{children}</TimeZoneContext.Provider>;
}

/** The IANA zone dates are shown in; Asia/Shanghai (the config's default) only outside the provider. */
export function useTimeZone(): string {
  return useContext(TimeZoneContext) ?? MERCHANT_TIME_ZONE;
}
