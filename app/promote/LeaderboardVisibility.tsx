"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";

/** 在排行榜中显示我: the member's own switch under the leaderboard; the board is read again once it is saved. */
export function LeaderboardVisibility({ shown }: { shown: boolean }) {
  const t = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const [on, setOn] = useState(shown);
  const save = useMutation(
    trpc.promotion.setLeaderboardVisibility.mutationOptions({
      onSuccess: (r) => {
        setOn(r.shown);
        router.refresh();
      },
      // Not saved: the switch goes back to where it was.
      onError: (_e, asked) => setOn(!asked.shown),
    }),
  );
  return (
    <div className="mt-3 rounded-lg bg-neutral-50 px-3 py-2 text-xs" data-testid="leaderboard-visibility">
      <div className="flex items-center justify-between gap-3">
        <span id="leaderboard-show-me" className="font-medium text-neutral-700">
          {t("board.showMe")}
        </span>
        <label className="relative inline-flex shrink-0 cursor-pointer items-center after:absolute after:-inset-2.5">
          <input
            type="checkbox"
            role="switch"
            aria-labelledby="leaderboard-show-me"
            aria-describedby="leaderboard-show-me-note"
            className="peer sr-only"
            checked={on}
            disabled={save.isPending}
            onChange={(e) => {
              setOn(e.target.checked);
              save.mutate({ shown: e.target.checked });
            }}
            data-testid="leaderboard-show-me"
          />
          <span className="h-6 w-10 rounded-full bg-neutral-200 transition peer-checked:bg-rose-600 peer-focus-visible:ring-2 peer-focus-visible:ring-rose-600 peer-focus-visible:ring-offset-2 peer-disabled:opacity-60" />
          <span className="absolute left-0.5 top-0.5 h-5 w-5 rounded-full bg-white shadow transition peer-checked:translate-x-4" />
        </label>
      </div>
      <p id="leaderboard-show-me-note" className="mt-1 text-neutral-500">
        {t("board.showMeNote")}
      </p>
      {save.isError ? (
        <p className="mt-1 text-rose-700" role="alert">
          {t("board.showMeFailed")}
        </p>
      ) : null}
    </div>
  );
}
