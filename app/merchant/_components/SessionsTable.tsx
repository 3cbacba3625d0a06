"use client";

import { useState } from "react";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";
import { StatusBadge } from "@/components/merchant/StatusBadge";
import { useT } from "@/lib/i18n/client";
import type { Translator } from "@/lib/i18n/core";

interface SessionRow {
  id: number;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  userAgent: string | null;
  active: boolean;
}

/**
 * A user-agent string as "browser · OS" ("Chrome 131 · Linux", "微信 · Android"), so a staff member can tell their
 * sessions apart; the common browsers and systems only, and a string it cannot read is shown as it is.
 */
export function deviceLabel(t: Translator, userAgent: string): string {
  const ua = userAgent;
  const major = (re: RegExp) => re.exec(ua)?.[1];
  let browser: string | null = null;
  let v: string | undefined;
  if (/MicroMessenger\//i.test(ua)) browser = t("m.sessions.wechat");
  else if ((v = major(/\bEdg(?:e|A|iOS)?\/(\d+)/))) browser = `Edge ${v}`;
  else if ((v = major(/\b(?:Firefox|FxiOS)\/(\d+)/))) browser = `Firefox ${v}`;
  // HeadlessChrome (automation) is Chrome too: \bChrome alone missed it and read it as Safari.
  else if ((v = major(/\b(?:HeadlessChrome|Chrome|CriOS)\/(\d+)/))) browser = `Chrome ${v}`;
  else if (/\bSafari\//.test(ua)) browser = ["Safari", major(/\bVersion\/(\d+)/)].filter(Boolean).join(" ");
  const os = /\b(iPhone|iPad|iPod)\b/.test(ua)
    ? "iOS"
    : /\bAndroid\b/.test(ua)
      ? "Android"
      : /\bWindows\b/.test(ua)
        ? "Windows"
        : /\bCrOS\b/.test(ua)
          ? "ChromeOS"
          : /\bMac OS X\b|\bMacintosh\b/.test(ua)
            ? "macOS"
            : /\bLinux\b/.test(ua)
              ? "Linux"
              : null;
  const parts = [browser, os].filter((p): p is string => p !== null);
  return parts.length ? parts.join(" · ") : ua;
}

/** A staff account's sessions with a revoke button on the live ones (own page and /merchant/staff). */
export function SessionsTable({ sessions, currentId, onRevoke, pending }: { sessions: SessionRow[]; currentId?: number; onRevoke: (id: number) => void; pending?: boolean }) {
  const t = useT();
  const timeZone = useTimeZone();
  const [confirming, setConfirming] = useState<number | null>(null);
  return (
    <>
      {/* Dates and headings on one line each, the device (and at worst the action) wrapping instead, so the table
          fits the first sign-in's narrow page; on a phone it scrolls sideways (relative: the actions heading's
          sr-only text scrolls with it instead of widening the page). */}
      <div className="relative overflow-x-auto">
        <table className="min-w-full text-left text-sm">
          <thead className="whitespace-nowrap text-xs text-neutral-500">
            <tr>
              <th className="px-2 py-1 font-medium">{t("m.sessions.created")}</th>
              <th className="px-2 py-1 font-medium">{t("m.sessions.lastSeen")}</th>
              <th className="px-2 py-1 font-medium">{t("m.sessions.ip")}</th>
              <th className="px-2 py-1 font-medium">{t("m.sessions.device")}</th>
              <th className="px-2 py-1 font-medium">{t("m.sessions.status")}</th>
              <th className="px-2 py-1 font-medium">
                <span className="sr-only">{t("m.col.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id} className="border-t border-neutral-100" data-testid="staff-session" data-session-id={s.id} data-active={s.active}>
                <td className="whitespace-nowrap px-2 py-1.5 tabular-nums">{formatDateTime(s.createdAt, { timeZone })}</td>
                <td className="whitespace-nowrap px-2 py-1.5 tabular-nums">{formatDateTime(s.lastSeenAt, { timeZone })}</td>
                <td className="whitespace-nowrap px-2 py-1.5">{s.ip ?? "—"}</td>
                <td className="min-w-20 break-words px-2 py-1.5 text-neutral-500" title={s.userAgent ?? ""} data-testid="session-device">
                  <span className="line-clamp-2">{s.userAgent ? deviceLabel(t, s.userAgent) : "—"}</span>
                </td>
                <td className="whitespace-nowrap px-2 py-1.5">
                  {s.id === currentId ? (
                    <StatusBadge label={t("m.account.thisSession")} tone="info" />
                  ) : (
                    <StatusBadge label={s.active ? t("m.sessions.active") : t("m.sessions.ended")} tone={s.active ? "success" : "neutral"} />
                  )}
                </td>
                <td className="px-2 py-1.5 text-right">
                  {s.active && s.id !== currentId ? (
                    // The short word in the row (the full name for assistive technology and the dialog's title); it wraps rather than being cut off.
                    <button type="button" className="text-rose-600 hover:underline" aria-label={t("m.sessions.revoke")} onClick={() => setConfirming(s.id)}>
                      {t("m.sessions.revokeShort")}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={confirming !== null}
        title={t("m.sessions.revoke")}
        body={t("m.sessions.revokeConfirm")}
        danger
        pending={pending}
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          if (confirming !== null) onRevoke(confirming);
          setConfirming(null);
        }}
      />
    </>
  );
}
